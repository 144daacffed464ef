/*
 * preempt - the preemption demo: a parent starts three workers that compute
 * without ever making a system call between their progress lines; the timer
 * alone takes the CPU from one and gives it to the next, so their lines
 * interleave. Uses avm_spawn, so it runs on the guest kernel only.
 *   preempt [workers] [steps]          defaults: 3 4
 *   preempt worker LETTER STEPS        (what the parent spawns)
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "avm.h"

static uint32_t work(uint32_t x, int rounds)
{
    for (int i = 0; i < rounds; i++)
        x = x * 1664525u + 1013904223u + (x >> 13);
    return x;
}

static int worker(char letter, int steps)
{
    uint32_t x = (uint32_t)letter;
    for (int s = 1; s <= steps; s++) {
        x = work(x, 30000);          /* ~200,000 instructions: several ticks */
        printf("preempt: worker %c step %d of %d (%08x)\n", letter, s, steps, x);
    }
    return letter - 'A' + 1;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "worker") == 0)
        return worker(argv[2][0], argc > 3 ? atoi(argv[3]) : 4);

    int n = argc > 1 ? atoi(argv[1]) : 3;
    int steps = argc > 2 ? atoi(argv[2]) : 4;
    if (n < 1 || n > 26 || steps < 1 || steps > 99)
        return 2;
    pid_t pids[26];
    char letters[26][2], steptext[4];
    steptext[0] = (char)('0' + steps / 10);
    steptext[1] = (char)('0' + steps % 10);
    steptext[2] = 0;
    printf("preempt: starting %d workers, %d steps each\n", n, steps);
    for (int i = 0; i < n; i++) {
        letters[i][0] = (char)('A' + i);
        letters[i][1] = 0;
        char *args[] = { "preempt", "worker", letters[i], steptext[0] == '0' ? steptext + 1 : steptext, 0 };
        pids[i] = avm_spawn("preempt", args);
        if (pids[i] < 0) {
            printf("preempt: cannot start worker %c\n", 'A' + i);
            return 1;
        }
    }
    for (int i = 0; i < n; i++) {
        int status = 0;
        if (waitpid(pids[i], &status, 0) != pids[i]) {
            printf("preempt: waitpid failed\n");
            return 1;
        }
        printf("preempt: worker %c exited with status %d\n", 'A' + i, WEXITSTATUS(status));
    }
    return 0;
}

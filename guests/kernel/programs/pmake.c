/*
 * pmake - many short processes, like a parallel make: waves of cc jobs
 * started together, each wave waited for before the next. With the default
 * 20 waves of 14 jobs, 281 processes run in all, more than the 255 user
 * ASIDs, so the kernel must recycle ASIDs (a new generation) on the way.
 *   pmake [waves] [jobs-per-wave]      defaults: 20 14
 */
#include <stdio.h>
#include <stdlib.h>
#include "avm.h"

static void itoa10(int v, char *buf)
{
    char tmp[12];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *buf++ = tmp[--n];
    *buf = 0;
}

int main(int argc, char **argv)
{
    int waves = argc > 1 ? atoi(argv[1]) : 20;
    int jobs = argc > 2 ? atoi(argv[2]) : 14;
    int failed = 0;
    long total = 0;
    printf("pmake: %d waves of %d jobs\n", waves, jobs);
    for (int w = 1; w <= waves; w++) {
        char ws[12], js[12];
        itoa10(w, ws);
        int started = 0;
        for (int j = 1; j <= jobs; j++) {
            itoa10(j, js);
            char *args[] = { "cc", ws, js, 0 };
            if (avm_spawn("cc", args) < 0) {
                printf("pmake: cannot start job %d.%d\n", w, j);
                failed++;
                continue;
            }
            started++;
        }
        int sum = 0;
        for (int k = 0; k < started; k++) {
            int status;
            if (waitpid(-1, &status, 0) < 0) {
                printf("pmake: waitpid failed\n");
                return 1;
            }
            if (WIFEXITED(status))
                sum += WEXITSTATUS(status);
            else
                failed++;
        }
        total += sum;
        printf("pmake: wave %d: %d jobs, status sum %d\n", w, started, sum);
    }
    printf("pmake: %d jobs in %d waves, %d failed, status total %ld\n", waves * jobs, waves, failed, total);
    return failed != 0;
}

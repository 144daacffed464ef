/*
 * sleeper - sleeps on the timer (avm_sleep), so that the CPU goes idle when
 * nothing else is runnable: idle=wait then executes WAIT, idle=spin loops.
 *   sleeper [naps] [ticks]             defaults: 3 20
 */
#include <stdio.h>
#include <stdlib.h>
#include "avm.h"

int main(int argc, char **argv)
{
    int naps = argc > 1 ? atoi(argv[1]) : 3;
    int len = argc > 2 ? atoi(argv[2]) : 20;
    int late = 0;
    for (int i = 1; i <= naps; i++) {
        unsigned before = avm_ticks();
        avm_sleep((unsigned)len);
        unsigned slept = avm_ticks() - before;
        if (slept < (unsigned)len)
            late++;
        printf("sleeper: nap %d of %d done\n", i, naps);
    }
    printf("sleeper: %d naps of %d ticks, %d woke early\n", naps, len, late);
    return 0;
}

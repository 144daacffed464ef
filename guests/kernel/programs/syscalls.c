/*
 * syscalls - system-call heavy: many getpid()s, sched_yield()s and small
 * write()s. Linux calls only, so qemu-mipsel is its oracle. It makes exactly
 * 1 + getpids (getpid) + yields (sched_yield) + writes + 1 (the summary
 * printf) + 1 (exit_group) system calls, which the tests check against the
 * kernel's count.
 *   syscalls [getpids] [writes] [yields]   defaults: 2000 40 20
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int ngetpid = argc > 1 ? atoi(argv[1]) : 2000;
    int nwrite = argc > 2 ? atoi(argv[2]) : 40;
    int nyield = argc > 3 ? atoi(argv[3]) : 20;
    pid_t me = getpid();
    int changed = 0;
    for (int i = 0; i < ngetpid; i++)
        if (getpid() != me)
            changed++;
    int yield_errors = 0;
    for (int i = 0; i < nyield; i++)
        if (syscall(4162) != 0)     /* sched_yield */
            yield_errors++;
    char line[32];
    for (int i = 0; i < nwrite; i++) {
        memcpy(line, "syscalls: write #", 17);
        int n = 17;
        line[n++] = (char)('0' + i / 10 % 10);
        line[n++] = (char)('0' + i % 10);
        line[n++] = '\n';
        write(1, line, (size_t)n);
    }
    printf("syscalls: %d getpid calls (pid changed %d times), %d sched_yield calls (%d failed), %d writes\n",
           ngetpid, changed, nyield, yield_errors, nwrite);
    return 0;
}

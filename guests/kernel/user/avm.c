/* avm.c - see avm.h. */
#include <sys/syscall.h>
#include "avm.h"

pid_t avm_spawn(const char *name, char *const argv[])
{
    return (pid_t)syscall(AVM_SYS_spawn, (long)name, (long)argv, 0L, 0L);
}

int avm_sleep(unsigned ticks)
{
    return (int)syscall(AVM_SYS_sleep, (long)ticks, 0L, 0L, 0L);
}

unsigned avm_ticks(void)
{
    return (unsigned)syscall(AVM_SYS_ticks, 0L, 0L, 0L, 0L);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    return (pid_t)syscall(SYS_waitpid, (long)pid, (long)status, (long)options, 0L);
}

int sched_yield(void)
{
    return (int)syscall(SYS_sched_yield, 0L, 0L, 0L, 0L);
}

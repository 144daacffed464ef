/* syscalls.c - thin wrappers over the Linux o32 system calls. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <unistd.h>
#include "internal.h"

int errno;

long __syscall_ret(long r)
{
    if (r < 0 && r > -4096) {
        errno = (int)-r;
        return -1;
    }
    return r;
}

ssize_t read(int fd, void *buf, size_t count)
{
    return __syscall_ret(__syscall3(SYS_read, fd, buf, count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
    return __syscall_ret(__syscall3(SYS_write, fd, buf, count));
}

pid_t getpid(void)
{
    return (pid_t)__syscall0(SYS_getpid);
}

int kill(pid_t pid, int sig)
{
    return (int)__syscall_ret(__syscall2(SYS_kill, pid, sig));
}

int raise(int sig)
{
    return kill(getpid(), sig);
}

void sys_exit(int status)
{
    for (;;)
        __syscall1(SYS_exit, status);
}

void sys_exit_group(int status)
{
    for (;;)
        __syscall1(SYS_exit_group, status);
}

void _exit(int status)
{
    sys_exit_group(status);
}

void _Exit(int status)
{
    sys_exit_group(status);
}

/* The brk system call returns the new break, or the old one on failure. */
void *sys_brk(void *addr)
{
    return (void *)__syscall1(SYS_brk, addr);
}

static char *cur_brk;

int brk(void *addr)
{
    char *r = sys_brk(addr);
    cur_brk = r;
    if (r != addr) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void *sbrk(intptr_t increment)
{
    if (!cur_brk)
        cur_brk = sys_brk(0);
    char *old = cur_brk;
    if (increment == 0)
        return old;
    char *want = old + increment;
    if ((increment > 0 && want < old) || (increment < 0 && want > old)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    char *r = sys_brk(want);
    if (r != want) {
        errno = ENOMEM;
        return (void *)-1;
    }
    cur_brk = r;
    return old;
}

/* Generic call with up to four arguments (a0-a3). */
long syscall(long number, ...)
{
    va_list ap;
    va_start(ap, number);
    long a = va_arg(ap, long);
    long b = va_arg(ap, long);
    long c = va_arg(ap, long);
    long d = va_arg(ap, long);
    va_end(ap);
    return __syscall_ret(__syscall4(number, a, b, c, d));
}

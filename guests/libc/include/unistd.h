#ifndef _UNISTD_H
#define _UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
pid_t getpid(void);
int brk(void *addr);
void *sbrk(intptr_t increment);
__attribute__((noreturn)) void _exit(int status);

/* Raw system calls that have no POSIX name (ActorVmm extension). */
__attribute__((noreturn)) void sys_exit(int status);        /* 4001: exit (this thread) */
__attribute__((noreturn)) void sys_exit_group(int status);  /* 4246: exit_group */
void *sys_brk(void *addr);  /* 4045: returns the new (or unchanged) break, never fails */

long syscall(long number, ...);

extern char **environ;

#endif

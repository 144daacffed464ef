/*
 * avm.h - user-side wrappers for the ActorVmm guest kernel's own system calls
 * (numbers 6000 and up) and the Linux calls guests/libc does not wrap.
 * Errors follow libc: -1 with errno set.
 */
#ifndef AVM_H
#define AVM_H

#include <sys/types.h>

#define AVM_SYS_spawn  6000   /* spawn(name, argv) -> pid */
#define AVM_SYS_sleep  6001   /* sleep(ticks) -> 0; 0 ticks = yield */
#define AVM_SYS_ticks  6002   /* ticks() -> timer ticks since boot */

#define SYS_waitpid     4007
#define SYS_sched_yield 4162

/* Start an embedded program by name; argv NULL means { name, NULL }. */
pid_t avm_spawn(const char *name, char *const argv[]);
int avm_sleep(unsigned ticks);
unsigned avm_ticks(void);

/* Linux calls */
pid_t waitpid(pid_t pid, int *status, int options);
int sched_yield(void);

#define WNOHANG        1
#define WIFEXITED(s)   (((s) & 0x7F) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xFF)
#define WIFSIGNALED(s) (((s) & 0x7F) != 0 && ((s) & 0x7F) != 0x7F)
#define WTERMSIG(s)    ((s) & 0x7F)

#endif

/* sys/syscall.h - Linux MIPS o32 system call numbers (4000 + n). */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

#define __NR_O32_Linux     4000
#define SYS_syscall        4000
#define SYS_exit           4001
#define SYS_read           4003
#define SYS_write          4004
#define SYS_open           4005
#define SYS_close          4006
#define SYS_getpid         4020
#define SYS_getuid         4024
#define SYS_kill           4037
#define SYS_brk            4045
#define SYS_getppid        4064
#define SYS_munmap         4091
#define SYS_uname          4122
#define SYS_mmap2          4210
#define SYS_gettid         4222
#define SYS_tkill          4236
#define SYS_exit_group     4246
#define SYS_set_tid_address 4252
#define SYS_clock_gettime  4263
#define SYS_tgkill         4266

long syscall(long number, ...);

#endif

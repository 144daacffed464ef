/* internal.h - private to the libc. */
#ifndef _LIBC_INTERNAL_H
#define _LIBC_INTERNAL_H

#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/syscall.h>

/*
 * Linux o32 system call: number in v0, arguments in a0-a3, `syscall`;
 * result in v0, a3 = 0 on success or 1 with v0 = positive errno.
 * These return the kernel-style value: result, or -errno on failure.
 * The kernel may clobber at, v1, t0-t9, hi and lo.
 */
#define __SYSCALL_CLOBBERS "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", \
    "$14", "$15", "$24", "$25", "hi", "lo", "memory"

static inline long __syscall4(long n, long a, long b, long c, long d)
{
    register long v0 __asm__("$2") = n;
    register long a0 __asm__("$4") = a;
    register long a1 __asm__("$5") = b;
    register long a2 __asm__("$6") = c;
    register long a3 __asm__("$7") = d;
    __asm__ __volatile__("syscall"
                         : "+r"(v0), "+r"(a3)
                         : "r"(a0), "r"(a1), "r"(a2)
                         : __SYSCALL_CLOBBERS);
    return a3 ? -v0 : v0;
}

#define __syscall0(n)          __syscall4((n), 0, 0, 0, 0)
#define __syscall1(n, a)       __syscall4((n), (long)(a), 0, 0, 0)
#define __syscall2(n, a, b)    __syscall4((n), (long)(a), (long)(b), 0, 0)
#define __syscall3(n, a, b, c) __syscall4((n), (long)(a), (long)(b), (long)(c), 0)

/* Kernel-style result to libc-style: -1 and errno on failure. */
long __syscall_ret(long r);

/* FILE: an fd and an optional buffer. */
struct __FILE {
    int fd;
    int mode;            /* _IOFBF, _IOLBF or _IONBF */
    int err;
    unsigned len;        /* bytes waiting in buf */
    unsigned size;       /* capacity of buf */
    unsigned char *buf;
};

int __fwritex(FILE *f, const unsigned char *s, size_t n);
void __stdio_exit(void);

/* printf engine: emits through a callback. */
typedef void (*__emit_fn)(void *ctx, const char *s, size_t n);
int __vformat(__emit_fn emit, void *ctx, const char *fmt, va_list ap);

#endif

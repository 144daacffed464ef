#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

#define ATEXIT_MAX 32
static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
    if (atexit_count == ATEXIT_MAX)
        return -1;
    atexit_fns[atexit_count++] = fn;
    return 0;
}

void exit(int status)
{
    while (atexit_count > 0)
        atexit_fns[--atexit_count]();
    __stdio_exit();
    sys_exit_group(status);
}

/*
 * abort: like glibc, do not flush stdio; raise SIGABRT at ourselves
 * (kill(getpid(), SIGABRT): qemu-mipsel then dies with SIGABRT, status 134).
 * If that returns (an exec shim without signals), exit_group(134), which a
 * shell sees as the same status.
 */
void abort(void)
{
    raise(SIGABRT);
    sys_exit_group(128 + SIGABRT);
}

void __assert_fail(const char *expr, const char *file, unsigned int line,
                   const char *func)
{
    fprintf(stderr, "%s:%u: %s: Assertion `%s' failed.\n", file, line, func, expr);
    abort();
}

char *getenv(const char *name)
{
    size_t n = 0;
    while (name[n] && name[n] != '=')
        n++;
    if (!environ || name[n])
        return 0;
    for (char **e = environ; *e; e++) {
        const char *s = *e;
        size_t i = 0;
        while (i < n && s[i] == name[i])
            i++;
        if (i == n && s[n] == '=')
            return (char *)s + n + 1;
    }
    return 0;
}

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct { int num; const char *msg; } msgs[] = {
    { 0, "Success" },
    { EPERM, "Operation not permitted" },
    { ENOENT, "No such file or directory" },
    { ESRCH, "No such process" },
    { EINTR, "Interrupted system call" },
    { EIO, "Input/output error" },
    { EBADF, "Bad file descriptor" },
    { EAGAIN, "Resource temporarily unavailable" },
    { ENOMEM, "Cannot allocate memory" },
    { EACCES, "Permission denied" },
    { EFAULT, "Bad address" },
    { EEXIST, "File exists" },
    { EINVAL, "Invalid argument" },
    { ENOSPC, "No space left on device" },
    { EPIPE, "Broken pipe" },
    { EDOM, "Numerical argument out of domain" },
    { ERANGE, "Numerical result out of range" },
    { ENOSYS, "Function not implemented" },
};

char *strerror(int errnum)
{
    static char unknown[32];
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        if (msgs[i].num == errnum)
            return (char *)msgs[i].msg;
    snprintf(unknown, sizeof unknown, "Unknown error %d", errnum);
    return unknown;
}

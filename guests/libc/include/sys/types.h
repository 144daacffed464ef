#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef int ssize_t;      /* signed size_t (size_t is unsigned int on o32) */
typedef int pid_t;
typedef long off_t;
typedef long long off64_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef long time_t;

#endif

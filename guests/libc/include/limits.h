/* limits.h - MIPS32 o32: char is signed, int/long/pointer are 32 bits. */
#ifndef _LIMITS_H
#define _LIMITS_H

#define CHAR_BIT    8
#define SCHAR_MIN   (-128)
#define SCHAR_MAX   127
#define UCHAR_MAX   255
#ifdef __CHAR_UNSIGNED__
#define CHAR_MIN    0
#define CHAR_MAX    UCHAR_MAX
#else
#define CHAR_MIN    SCHAR_MIN
#define CHAR_MAX    SCHAR_MAX
#endif
#define MB_LEN_MAX  1
#define SHRT_MIN    (-32768)
#define SHRT_MAX    32767
#define USHRT_MAX   65535
#define INT_MIN     (-INT_MAX - 1)
#define INT_MAX     __INT_MAX__
#define UINT_MAX    (INT_MAX * 2U + 1U)
#define LONG_MIN    (-LONG_MAX - 1L)
#define LONG_MAX    __LONG_MAX__
#define ULONG_MAX   (LONG_MAX * 2UL + 1UL)
#define LLONG_MIN   (-LLONG_MAX - 1LL)
#define LLONG_MAX   __LONG_LONG_MAX__
#define ULLONG_MAX  (LLONG_MAX * 2ULL + 1ULL)
#define SSIZE_MAX   LONG_MAX
#define PATH_MAX    4096
#define PAGE_SIZE   4096

#endif

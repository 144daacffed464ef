/* conf.h - helpers shared by the conformance programs.
 *
 * Output must be identical at -O0, -O2 and -Os and under qemu-mipsel and
 * ActorVmm exec: print values, never addresses, and avoid undefined
 * behaviour (signed overflow, shifts >= width, INT_MIN / -1 ...).
 */
#ifndef CONF_H
#define CONF_H

#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hide a value from the optimiser so that the operation on it is really
 * executed at every -O level instead of being folded at compile time. */
#define OPQ(x) ({ __auto_type __v = (x); __asm__("" : "+r"(__v)); __v; })

static unsigned conf_failures;
static uint32_t conf_hash = 2166136261u;   /* FNV-1a over everything mixed in */

static inline void mix32(uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        conf_hash ^= (v >> (8 * i)) & 0xff;
        conf_hash *= 16777619u;
    }
}

static inline void mix64(uint64_t v)
{
    mix32((uint32_t)v);
    mix32((uint32_t)(v >> 32));
}

#define CHECK(cond) do { \
    if (!(cond)) { \
        conf_failures++; \
        printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    } \
} while (0)

#define CHECK_EQ(a, b) do { \
    unsigned long long __a = (unsigned long long)(a), __b = (unsigned long long)(b); \
    if (__a != __b) { \
        conf_failures++; \
        printf("FAIL %s:%d: %s == %s (0x%llx != 0x%llx)\n", \
               __FILE__, __LINE__, #a, #b, __a, __b); \
    } \
} while (0)

/* A deterministic generator (xorshift32) for test data. */
static uint32_t conf_rng = 2463534242u;
static inline uint32_t rnd(void)
{
    uint32_t x = conf_rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return conf_rng = x;
}

/* End of a program: summary line and the number of failures as status. */
static inline int conf_done(const char *name)
{
    printf("%s: hash=%08" PRIx32 " failures=%u\n", name, conf_hash, conf_failures);
    return conf_failures ? 100 + (int)(conf_failures > 27 ? 27 : conf_failures) : 0;
}

#endif

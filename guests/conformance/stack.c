/* stack.c - large stack frames: a 64 KB local array, nested calls each with
 * a few KB, variable-length arrays and alloca. About 200 KB of stack at the
 * deepest point. */
#include "conf.h"

__attribute__((noinline)) static uint32_t big_frame(uint32_t seed)
{
    uint32_t a[16384];                       /* 64 KB */
    a[0] = seed;
    for (int i = 1; i < 16384; i++)
        a[i] = a[i - 1] * 1664525u + 1013904223u;
    uint32_t h = 0;
    for (int i = 16383; i >= 0; i -= 7)
        h = h * 31 + a[i];
    return h;
}

__attribute__((noinline)) static uint32_t nested(int depth, uint32_t x)
{
    uint8_t frame[4096];
    for (int i = 0; i < 4096; i++)
        frame[i] = (uint8_t)(x + (uint32_t)i * (uint32_t)depth);
    uint32_t r = depth > 0 ? nested(depth - 1, x * 3 + 1) : big_frame(x);
    for (int i = 0; i < 4096; i += 64)
        r = r * 33 + frame[i];
    return r;
}

__attribute__((noinline)) static uint32_t vla(int n)
{
    uint32_t v[n];
    for (int i = 0; i < n; i++)
        v[i] = (uint32_t)(i * i);
    uint32_t h = 0;
    for (int i = 0; i < n; i++)
        h = h * 7 + v[i];
    return h;
}

__attribute__((noinline)) static uint32_t with_alloca(int n)
{
    uint16_t *p = __builtin_alloca((size_t)n * sizeof *p);
    for (int i = 0; i < n; i++)
        p[i] = (uint16_t)(i ^ 0x5a5a);
    uint32_t h = 0;
    for (int i = 0; i < n; i++)
        h += p[i];
    return h;
}

int main(void)
{
    uint32_t r = nested(OPQ(32), 12345);
    printf("nested(32) = %08x\n", r);
    mix32(r);
    for (int n = 1; n <= 10000; n *= 10) {
        uint32_t v = vla(OPQ(n)), w = with_alloca(OPQ(n));
        printf("vla(%d)=%08x alloca(%d)=%u\n", n, v, n, w);
        mix32(v);
        mix32(w);
    }
    return conf_done("stack");
}

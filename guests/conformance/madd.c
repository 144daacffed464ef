/* madd.c - multiply-accumulate patterns that GCC turns into madd/maddu/
 * msub/msubu (HI/LO accumulation) at -O2/-Os, plus mul, mult/multu with
 * mfhi/mflo, and 32x32->64 products. */
#include "conf.h"

#define LEN 64
static int32_t sa[LEN], sb[LEN];
static uint32_t ua[LEN], ub[LEN];

__attribute__((noinline)) static int64_t dot_madd(const int32_t *a, const int32_t *b, int n)
{
    int64_t acc = 0;
    for (int i = 0; i < n; i++)
        acc += (int64_t)a[i] * b[i];
    return acc;
}

__attribute__((noinline)) static int64_t dot_msub(int64_t acc, const int32_t *a, const int32_t *b, int n)
{
    for (int i = 0; i < n; i++)
        acc -= (int64_t)a[i] * b[i];
    return acc;
}

__attribute__((noinline)) static uint64_t dot_maddu(const uint32_t *a, const uint32_t *b, int n)
{
    uint64_t acc = 0;
    for (int i = 0; i < n; i++)
        acc += (uint64_t)a[i] * b[i];
    return acc;
}

__attribute__((noinline)) static uint64_t dot_msubu(uint64_t acc, const uint32_t *a, const uint32_t *b, int n)
{
    for (int i = 0; i < n; i++)
        acc -= (uint64_t)a[i] * b[i];
    return acc;
}

__attribute__((noinline)) static int64_t madd1(int64_t acc, int32_t a, int32_t b) { return acc + (int64_t)a * b; }
__attribute__((noinline)) static int64_t msub1(int64_t acc, int32_t a, int32_t b) { return acc - (int64_t)a * b; }
__attribute__((noinline)) static uint64_t maddu1(uint64_t acc, uint32_t a, uint32_t b) { return acc + (uint64_t)a * b; }
__attribute__((noinline)) static uint64_t msubu1(uint64_t acc, uint32_t a, uint32_t b) { return acc - (uint64_t)a * b; }

__attribute__((noinline)) static uint32_t mul32(uint32_t a, uint32_t b, uint32_t c) { return a * b + c; }

/* Polynomial evaluation: a chain of 32-bit multiplies (mul). */
__attribute__((noinline)) static uint32_t horner(const uint32_t *c, int n, uint32_t x)
{
    uint32_t r = 0;
    for (int i = 0; i < n; i++)
        r = r * x + c[i];
    return r;
}

int main(void)
{
    for (int i = 0; i < LEN; i++) {
        sa[i] = (int32_t)rnd();
        sb[i] = (int32_t)rnd() >> (i & 15);
        ua[i] = rnd();
        ub[i] = rnd() >> (i & 7);
    }
    sa[0] = INT32_MIN; sb[0] = INT32_MIN;
    sa[1] = INT32_MAX; sb[1] = INT32_MIN;
    ua[0] = UINT32_MAX; ub[0] = UINT32_MAX;

    int64_t d = dot_madd(sa, sb, LEN);
    int64_t e = dot_msub(d, sa, sb, LEN / 2);
    uint64_t f = dot_maddu(ua, ub, LEN);
    uint64_t g = dot_msubu(f, ua, ub, LEN / 3);
    printf("dot madd  = %lld\n", (long long)d);
    printf("dot msub  = %lld\n", (long long)e);
    printf("dot maddu = %llu\n", (unsigned long long)f);
    printf("dot msubu = %llu\n", (unsigned long long)g);
    mix64((uint64_t)d); mix64((uint64_t)e); mix64(f); mix64(g);

    int64_t s = 0;
    uint64_t u = 0;
    for (int i = 0; i < LEN; i++) {
        s = madd1(s, sa[i], sb[(i * 7) % LEN]);
        s = msub1(s, sb[i], sa[(i * 3) % LEN]);
        u = maddu1(u, ua[i], ub[(i * 5) % LEN]);
        u = msubu1(u, ub[i], ua[i]);
    }
    printf("chain s=%lld u=%llu\n", (long long)s, (unsigned long long)u);
    mix64((uint64_t)s); mix64(u);

    CHECK_EQ(madd1(0, INT32_MIN, INT32_MIN), 0x4000000000000000ll);
    CHECK_EQ(msub1(0, INT32_MIN, INT32_MAX), 0x3fffffff80000000ll);
    CHECK_EQ(maddu1(1, UINT32_MAX, UINT32_MAX), 0xfffffffe00000002ull);
    CHECK_EQ(msubu1(0, 2, 3), (uint64_t)-6);

    printf("mul32 = %08x %08x\n", mul32(OPQ(0xdeadbeefu), OPQ(0x10001u), 7), mul32(OPQ(0xffffffffu), OPQ(0xffffffffu), 0));
    printf("horner = %08x\n", horner(ua, LEN, 31));
    mix32(horner(ua, LEN, 0x9e3779b9u));
    return conf_done("madd");
}

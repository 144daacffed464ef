/* arith32.c - 32-bit integer arithmetic, logic, shifts and comparisons over
 * edge values (0, 1, -1, INT_MIN, INT_MAX, UINT_MAX ...): addu/subu, mul,
 * mult/multu + mfhi (high words), div/divu (+ teq divide check), mflo/mfhi,
 * sll/srl/sra and their v forms, and/or/xor/nor, slt/sltu/slti/sltiu, lui. */
#include "conf.h"

static const uint32_t vals[] = {
    0, 1, 2, 3, 7, 10, 100, 255, 256, 0x7fff, 0x8000, 0xffff, 0x10000,
    12345, 0x55555555, 0xaaaaaaaa, 0x7ffffffe, 0x7fffffff, 0x80000000,
    0x80000001, 0xfffffff0, 0xfffffffe, 0xffffffff, 0xdeadbeef, 0x12345678,
};
#define N (sizeof vals / sizeof vals[0])

static uint32_t ops_signed(int32_t a, int32_t b)
{
    uint32_t h = 0;
    h ^= (uint32_t)a + (uint32_t)b;
    h = h * 31 + ((uint32_t)a - (uint32_t)b);
    h = h * 31 + (uint32_t)a * (uint32_t)b;
    h = h * 31 + (uint32_t)(((int64_t)a * b) >> 32);         /* mult + mfhi */
    if (b != 0 && !(a == INT_MIN && b == -1)) {
        h = h * 31 + (uint32_t)(a / b);
        h = h * 31 + (uint32_t)(a % b);
    }
    h = h * 31 + (a < b) + 2 * (a <= b) + 4 * (a == b) + 8 * (a > b);
    h = h * 31 + (uint32_t)(a >> (b & 31));                    /* srav */
    h = h * 31 + (uint32_t)(a < 5) + 2 * (uint32_t)(a < -1) + 4 * (uint32_t)(a >= 0);
    return h;
}

static uint32_t ops_unsigned(uint32_t a, uint32_t b)
{
    uint32_t h = 0;
    h ^= (uint32_t)(((uint64_t)a * b) >> 32);                  /* multu + mfhi */
    if (b != 0) {
        h = h * 31 + a / b;
        h = h * 31 + a % b;
    }
    h = h * 31 + (a < b) + 2 * (a <= b) + 4 * (a == b) + 8 * (a > b);
    h = h * 31 + (a << (b & 31));                              /* sllv */
    h = h * 31 + (a >> (b & 31));                              /* srlv */
    h = h * 31 + (a & b) + 3 * (a | b) + 5 * (a ^ b) + 7 * ~(a | b);
    h = h * 31 + (a < 5u) + 2 * (a < 0xfffffff0u) + 4 * (a < 0x8000u);
    return h;
}

static int32_t sdiv(int32_t a, int32_t b) { return a / b; }
static int32_t smod(int32_t a, int32_t b) { return a % b; }
static uint32_t udiv(uint32_t a, uint32_t b) { return a / b; }
static uint32_t umod(uint32_t a, uint32_t b) { return a % b; }

int main(void)
{
    for (unsigned i = 0; i < N; i++) {
        uint32_t hs = 0, hu = 0;
        for (unsigned j = 0; j < N; j++) {
            hs = hs * 131 + ops_signed((int32_t)OPQ(vals[i]), (int32_t)OPQ(vals[j]));
            hu = hu * 131 + ops_unsigned(OPQ(vals[i]), OPQ(vals[j]));
        }
        printf("%08x: signed %08x unsigned %08x\n", vals[i], hs, hu);
        mix32(hs);
        mix32(hu);
    }

    /* Edge values, printed. */
    int32_t imin = OPQ(INT_MIN), imax = OPQ(INT_MAX), m1 = OPQ(-1);
    uint32_t umax = OPQ(UINT_MAX);
    printf("INT_MIN=%d INT_MAX=%d UINT_MAX=%u (0x%x)\n", imin, imax, umax, umax);
    printf("INT_MIN/2=%d INT_MIN%%3=%d -7/2=%d -7%%2=%d 7/-2=%d 7%%-2=%d\n",
           sdiv(imin, 2), smod(imin, 3), sdiv(-7, 2), smod(-7, 2), sdiv(7, -2), smod(7, -2));
    printf("UINT_MAX/3=%u UINT_MAX%%7=%u 0x80000000/-1u=%u\n",
           udiv(umax, 3), umod(umax, 7), udiv(0x80000000u, OPQ(0xffffffffu)));
    printf("-1<0:%d -1u<0u:%d INT_MIN<INT_MAX:%d (unsigned)INT_MIN<INT_MAX:%d\n",
           m1 < 0, (uint32_t)m1 < OPQ(0u), imin < imax, (uint32_t)imin < (uint32_t)imax);
    printf("INT_MIN>>31=%d INT_MIN>>>31=%u -1>>1=%d 0x80000000u>>1=%x 1<<31=%x\n",
           imin >> OPQ(31), (uint32_t)imin >> OPQ(31), m1 >> OPQ(1),
           OPQ(0x80000000u) >> 1, OPQ(1u) << 31);
    printf("INT_MAX+1 (wrapped)=%d -INT_MIN (wrapped)=%d\n",
           (int32_t)((uint32_t)imax + 1u), (int32_t)(0u - (uint32_t)imin));
    printf("mulhi(INT_MIN,INT_MIN)=%08x mulhu(UINT_MAX,UINT_MAX)=%08x\n",
           (uint32_t)(((int64_t)imin * imin) >> 32),
           (uint32_t)(((uint64_t)umax * umax) >> 32));
    printf("lui: %x %x %x\n", OPQ(0x12340000u) | 0x5678, OPQ(0xffff0000u) + 0xffff, OPQ(0x8000u) << 16);

    CHECK_EQ(sdiv(-7, 2), -3);
    CHECK_EQ(smod(-7, 2), -1);
    CHECK_EQ(udiv(umax, 3), 0x55555555u);
    CHECK_EQ((uint32_t)(((int64_t)imin * imin) >> 32), 0x40000000u);
    CHECK_EQ((uint32_t)(((uint64_t)umax * umax) >> 32), 0xfffffffeu);
    CHECK_EQ(imin >> OPQ(31), -1);
    return conf_done("arith32");
}

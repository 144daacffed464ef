/* condmove.c - selects that GCC compiles to movn/movz (and slt/sltu +
 * branch-free code) at -O2/-Os: min/max/abs/clamp/select-on-zero. */
#include "conf.h"

__attribute__((noinline)) static int32_t smax(int32_t a, int32_t b) { return a > b ? a : b; }
__attribute__((noinline)) static int32_t smin(int32_t a, int32_t b) { return a < b ? a : b; }
__attribute__((noinline)) static uint32_t umax(uint32_t a, uint32_t b) { return a > b ? a : b; }
__attribute__((noinline)) static uint32_t umin(uint32_t a, uint32_t b) { return a < b ? a : b; }
__attribute__((noinline)) static int32_t sel_zero(int32_t c, int32_t a, int32_t b) { return c == 0 ? a : b; }
__attribute__((noinline)) static int32_t sel_nonzero(int32_t c, int32_t a, int32_t b) { return c != 0 ? a : b; }
__attribute__((noinline)) static uint32_t iabs(int32_t a) { return a < 0 ? 0u - (uint32_t)a : (uint32_t)a; }
__attribute__((noinline)) static int32_t clamp(int32_t x, int32_t lo, int32_t hi) { return x < lo ? lo : x > hi ? hi : x; }
__attribute__((noinline)) static int32_t sign(int32_t x) { return (x > 0) - (x < 0); }

__attribute__((noinline)) static int32_t array_max(const int32_t *a, int n)
{
    int32_t m = a[0];
    for (int i = 1; i < n; i++)
        m = a[i] > m ? a[i] : m;
    return m;
}

__attribute__((noinline)) static uint32_t count_if(const int32_t *a, int n, int32_t t)
{
    uint32_t c = 0;
    for (int i = 0; i < n; i++)
        c += a[i] >= t ? 2 : 1;
    return c;
}

int main(void)
{
    static const int32_t v[] = { 0, 1, -1, 2, -2, 100, -100, INT32_MAX, INT32_MIN, 0x1234, -0x1234 };
    const unsigned n = sizeof v / sizeof v[0];
    for (unsigned i = 0; i < n; i++) {
        uint32_t h = 0;
        for (unsigned j = 0; j < n; j++) {
            int32_t a = OPQ(v[i]), b = OPQ(v[j]);
            h = h * 31 + (uint32_t)smax(a, b);
            h = h * 31 + (uint32_t)smin(a, b);
            h = h * 31 + umax((uint32_t)a, (uint32_t)b);
            h = h * 31 + umin((uint32_t)a, (uint32_t)b);
            h = h * 31 + (uint32_t)sel_zero(a, b, 77);
            h = h * 31 + (uint32_t)sel_nonzero(b, a, -77);
            h = h * 31 + (uint32_t)clamp(a, -100, b > -100 ? b : -100);
        }
        printf("%11d: max/min/sel %08x abs=%u sign=%d\n", v[i], h, iabs(OPQ(v[i])), sign(OPQ(v[i])));
        mix32(h);
    }

    int32_t arr[200];
    for (int i = 0; i < 200; i++)
        arr[i] = (int32_t)rnd();
    printf("array_max=%d count_if=%u\n", array_max(arr, 200), count_if(arr, 200, 0));

    CHECK_EQ(smax(OPQ(-1), OPQ(1)), 1);
    CHECK_EQ(umax(OPQ(0xffffffffu), OPQ(1u)), 0xffffffffu);
    CHECK_EQ(sel_zero(OPQ(0), 5, 6), 5);
    CHECK_EQ(iabs(OPQ(INT32_MIN)), 0x80000000u);
    return conf_done("condmove");
}

/* arith64.c - 64-bit (long long) arithmetic on a 32-bit CPU: add/sub with
 * carries (addu + sltu), multiplication (multu/mul/madd), division and
 * remainder through libgcc (__divdi3 __udivdi3 __moddi3 __umoddi3), and
 * variable 64-bit shifts, over edge values. */
#include "conf.h"

static const uint64_t vals[] = {
    0, 1, 2, 3, 10, 1000000007ull, 0xffffffffull, 0x100000000ull,
    0x100000001ull, 0x123456789abcdef0ull, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0x8000000000000001ull, 0xfffffffffffffffeull,
    0xffffffffffffffffull, 0xffffffff00000000ull, 0x00000000deadbeefull,
    0xfedcba9876543210ull, 12345678901234ull,
};
#define N (sizeof vals / sizeof vals[0])

static uint64_t ops(uint64_t ua, uint64_t ub)
{
    int64_t a = (int64_t)ua, b = (int64_t)ub;
    uint64_t h = 0;
    h ^= ua + ub;
    h = h * 31 + (ua - ub);
    h = h * 31 + ua * ub;
    if (ub != 0) {
        h = h * 31 + ua / ub;
        h = h * 31 + ua % ub;
    }
    if (b != 0 && !(a == INT64_MIN && b == -1)) {
        h = h * 31 + (uint64_t)(a / b);
        h = h * 31 + (uint64_t)(a % b);
    }
    unsigned s = (unsigned)(ub & 63);
    h = h * 31 + (ua << s);
    h = h * 31 + (ua >> s);
    h = h * 31 + (uint64_t)(a >> s);
    h = h * 31 + (a < b) + 2 * (a <= b) + 4 * (a == b) + 8 * (ua < ub) + 16 * (ua >= ub);
    h = h * 31 + (ua & ub) + 3 * (ua | ub) + 5 * (ua ^ ub) + 7 * ~ua;
    return h;
}

static int64_t sdiv(int64_t a, int64_t b) { return a / b; }
static int64_t smod(int64_t a, int64_t b) { return a % b; }
static uint64_t udiv(uint64_t a, uint64_t b) { return a / b; }
static uint64_t umod(uint64_t a, uint64_t b) { return a % b; }

int main(void)
{
    for (unsigned i = 0; i < N; i++) {
        uint64_t h = 0;
        for (unsigned j = 0; j < N; j++)
            h = h * 1000003 + ops(OPQ(vals[i]), OPQ(vals[j]));
        printf("%016llx: %016llx\n", (unsigned long long)vals[i], (unsigned long long)h);
        mix64(h);
    }

    /* All 64 shift amounts of one pattern. */
    uint64_t p = OPQ(0x8123456789abcdefull), sh = 0;
    for (unsigned s = 0; s < 64; s++)
        sh = sh * 7 + (p << s) + 3 * (p >> s) + 5 * (uint64_t)((int64_t)p >> s);
    printf("shifts: %016llx\n", (unsigned long long)sh);
    mix64(sh);

    int64_t lmin = OPQ(INT64_MIN), lmax = OPQ(INT64_MAX);
    printf("INT64_MIN=%lld INT64_MAX=%lld UINT64_MAX=%llu\n",
           (long long)lmin, (long long)lmax, (unsigned long long)OPQ(UINT64_MAX));
    printf("%" PRId64 " %" PRIu64 " %" PRIx64 " %" PRIX64 " %" PRIo64 "\n",
           OPQ((int64_t)-1234567890123ll), OPQ((uint64_t)18446744073709551615ull),
           OPQ((uint64_t)0xabcdef0123456789ull), OPQ((uint64_t)0xabcdef0123456789ull),
           OPQ((uint64_t)01234567012345670123ull));
    printf("div: %lld %lld %llu %llu\n", (long long)sdiv(lmin, 3), (long long)smod(lmin, 3),
           (unsigned long long)udiv(OPQ(UINT64_MAX), 10), (unsigned long long)umod(OPQ(UINT64_MAX), 10));
    printf("mix32x32: %lld %llu\n", (long long)OPQ(-100000) * OPQ(300000),
           (unsigned long long)OPQ(4000000000u) * OPQ(4000000000u));

    CHECK_EQ(udiv(OPQ(UINT64_MAX), 10), 1844674407370955161ull);
    CHECK_EQ(umod(OPQ(UINT64_MAX), 10), 5);
    CHECK_EQ(sdiv(lmin, 3), -3074457345618258602ll);
    CHECK_EQ(smod(lmin, 3), -2);
    CHECK_EQ((unsigned long long)OPQ(4000000000u) * OPQ(4000000000u), 16000000000000000000ull);
    return conf_done("arith64");
}

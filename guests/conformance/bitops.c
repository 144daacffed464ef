/* bitops.c - MIPS32r2 bit instructions as GCC emits them: clz (and clo
 * from clz(~x)), wsbh + rotr (bswap32), wsbh (bswap16), seb/seh (sign
 * extension), ext/ins (bit-field structs and masks), rotr/rotrv (rotates),
 * and libgcc's popcount/parity/ffs/ctz helpers. */
#include "conf.h"

struct fields {
    unsigned a : 3;
    unsigned b : 7;
    unsigned c : 12;
    unsigned d : 10;
};

struct sfields {
    signed x : 5;
    signed y : 11;
    unsigned z : 1;
    signed w : 15;
};

__attribute__((noinline)) static int clz32(uint32_t x) { return x ? __builtin_clz(x) : 32; }
__attribute__((noinline)) static int clo32(uint32_t x) { return ~x ? __builtin_clz(~x) : 32; }
__attribute__((noinline)) static int ctz32(uint32_t x) { return x ? __builtin_ctz(x) : 32; }
__attribute__((noinline)) static uint32_t bswap32(uint32_t x) { return __builtin_bswap32(x); }
__attribute__((noinline)) static uint16_t bswap16(uint16_t x) { return __builtin_bswap16(x); }
__attribute__((noinline)) static uint64_t bswap64(uint64_t x) { return __builtin_bswap64(x); }
__attribute__((noinline)) static int32_t sext8(uint32_t x) { return (int8_t)x; }
__attribute__((noinline)) static int32_t sext16(uint32_t x) { return (int16_t)x; }
__attribute__((noinline)) static uint32_t extract(uint32_t x) { return (x >> 5) & 0x3ff; }
__attribute__((noinline)) static uint32_t extract_hi(uint32_t x) { return (x >> 20) & 0xfff; }
__attribute__((noinline)) static uint32_t insert(uint32_t x, uint32_t v) { return (x & ~(0xffu << 8)) | ((v & 0xff) << 8); }
__attribute__((noinline)) static uint32_t rotr(uint32_t x, unsigned n) { n &= 31; return (x >> n) | (x << ((32 - n) & 31)); }
__attribute__((noinline)) static uint32_t rotl(uint32_t x, unsigned n) { n &= 31; return (x << n) | (x >> ((32 - n) & 31)); }
__attribute__((noinline)) static uint32_t rotr7(uint32_t x) { return (x >> 7) | (x << 25); }

__attribute__((noinline)) static void set_fields(struct fields *f, uint32_t v)
{
    f->a = v;
    f->b = v >> 3;
    f->c = v >> 10;
    f->d = v >> 22;
}

__attribute__((noinline)) static uint32_t sum_fields(const struct fields *f)
{
    return f->a + f->b * 3u + f->c * 5u + f->d * 7u;
}

__attribute__((noinline)) static int32_t sum_sfields(const struct sfields *s)
{
    return s->x + s->y * 3 + (int32_t)s->z * 5 + s->w * 7;
}

int main(void)
{
    static const uint32_t v[] = {
        0, 1, 2, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x12345678, 0x80000000,
        0x7fffffff, 0xfffffffe, 0xffffffff, 0xdeadbeef, 0x00f0f0f0, 0xff00ff00,
    };
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint32_t x = OPQ(v[i]);
        printf("%08x clz=%2d clo=%2d ctz=%2d pop=%2d par=%d ffs=%2d bswap=%08x bswap16=%04x "
               "seb=%d seh=%d ext=%x exthi=%x ins=%08x rotr7=%08x\n",
               x, clz32(x), clo32(x), ctz32(x), __builtin_popcount(x), __builtin_parity(x),
               __builtin_ffs((int)x), bswap32(x), bswap16((uint16_t)x), sext8(x), sext16(x),
               extract(x), extract_hi(x), insert(x, ~x), rotr7(x));
    }

    uint32_t h = 0;
    for (unsigned n = 0; n < 64; n++) {
        uint32_t x = OPQ(0x9abcdef1u);
        h = h * 33 + rotr(x, n) + 3 * rotl(x, n);
    }
    printf("rotates: %08x\n", h);
    mix32(h);
    printf("bswap64: %016llx\n", (unsigned long long)bswap64(OPQ(0x0123456789abcdefull)));

    struct fields f;
    memset(&f, 0, sizeof f);
    uint32_t fh = 0;
    for (int i = 0; i < 100; i++) {
        set_fields(&f, rnd());
        fh = fh * 31 + sum_fields(&f);
        f.c += f.a;             /* read-modify-write through ins */
        f.d ^= f.b;
        fh = fh * 31 + sum_fields(&f);
    }
    printf("fields: %08x\n", fh);
    mix32(fh);

    struct sfields s;
    int32_t sh = 0;
    for (int i = 0; i < 100; i++) {
        uint32_t r = rnd();
        s.x = (int32_t)r;
        s.y = (int32_t)(r >> 5);
        s.z = r >> 16;
        s.w = (int32_t)(r >> 17);
        sh = (int32_t)((uint32_t)sh * 31u + (uint32_t)sum_sfields(&s));
    }
    s.x = -16; s.y = 1023; s.z = 1; s.w = -16384;
    printf("sfields: %08x min/max: %d %d %d %d\n", (uint32_t)sh, s.x, s.y, s.z, s.w);
    mix32((uint32_t)sh);

    CHECK_EQ(bswap32(OPQ(0x12345678u)), 0x78563412u);
    CHECK_EQ(bswap16(OPQ((uint16_t)0x1234)), 0x3412);
    CHECK_EQ(clz32(OPQ(1u)), 31);
    CHECK_EQ(clo32(OPQ(0xfff00000u)), 12);
    CHECK_EQ(sext8(OPQ(0x80u)), -128);
    CHECK_EQ(sext16(OPQ(0x18000u)), -32768);
    CHECK_EQ(rotr(OPQ(1u), 1), 0x80000000u);
    return conf_done("bitops");
}

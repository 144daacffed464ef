/* unaligned.c - packed structures and unaligned accesses: GCC reads and
 * writes misaligned 32-bit fields with lwl/lwr and swl/swr (and 16-bit
 * ones with byte loads/stores), at every byte offset. */
#include "conf.h"

struct __attribute__((packed)) rec {
    uint8_t tag;
    uint32_t word;
    uint16_t half;
    int32_t sword;
    uint64_t dword;
    int16_t shalf;
};

struct __attribute__((packed)) u32 { uint32_t v; };
struct __attribute__((packed)) s32 { int32_t v; };
struct __attribute__((packed)) u16 { uint16_t v; };
struct __attribute__((packed)) u64 { uint64_t v; };

static uint8_t buf[64] __attribute__((aligned(8)));

__attribute__((noinline)) static uint32_t load32(const void *p) { return ((const struct u32 *)p)->v; }
__attribute__((noinline)) static int32_t loads32(const void *p) { return ((const struct s32 *)p)->v; }
__attribute__((noinline)) static void store32(void *p, uint32_t v) { ((struct u32 *)p)->v = v; }
__attribute__((noinline)) static uint16_t load16(const void *p) { return ((const struct u16 *)p)->v; }
__attribute__((noinline)) static void store16(void *p, uint16_t v) { ((struct u16 *)p)->v = v; }
__attribute__((noinline)) static uint64_t load64(const void *p) { return ((const struct u64 *)p)->v; }
__attribute__((noinline)) static void store64(void *p, uint64_t v) { ((struct u64 *)p)->v = v; }

static void dump(const char *what)
{
    printf("%-8s", what);
    for (int i = 0; i < 24; i++)
        printf(" %02x", buf[i]);
    printf("\n");
}

int main(void)
{
    for (int i = 0; i < 64; i++)
        buf[i] = (uint8_t)(i * 17 + 3);

    for (int off = 0; off < 8; off++)
        printf("off %d: load32=%08x loads32=%d load16=%04x load64=%016llx\n", off,
               load32(buf + off), loads32(buf + off), load16(buf + off),
               (unsigned long long)load64(buf + off));

    for (int off = 0; off < 8; off++) {
        memset(buf, 0, 24);
        store32(buf + off, 0xa1b2c3d4u);
        store16(buf + off + 9, 0xe5f6);
        store64(buf + off + 12, 0x0102030405060708ull);
        char name[16];
        snprintf(name, sizeof name, "st@%d", off);
        dump(name);
        CHECK_EQ(load32(buf + off), 0xa1b2c3d4u);
        CHECK_EQ(load16(buf + off + 9), 0xe5f6);
        CHECK_EQ(load64(buf + off + 12), 0x0102030405060708ull);
    }

    struct rec recs[5];
    memset(recs, 0, sizeof recs);
    printf("sizeof(struct rec)=%u\n", (unsigned)sizeof(struct rec));
    for (int i = 0; i < 5; i++) {
        recs[i].tag = (uint8_t)i;
        recs[i].word = rnd();
        recs[i].half = (uint16_t)rnd();
        recs[i].sword = -(int32_t)(rnd() >> 1);
        recs[i].dword = ((uint64_t)rnd() << 32) | rnd();
        recs[i].shalf = (int16_t)-i;
    }
    for (int i = 0; i < 5; i++) {
        struct rec r = recs[i];
        recs[i].word += r.half;
        printf("rec %d: %u %08x %04x %d %016llx %d\n", r.tag, recs[i].tag, recs[i].word, r.half,
               r.sword, (unsigned long long)r.dword, r.shalf);
        mix32(recs[i].word);
        mix64(r.dword);
    }
    return conf_done("unaligned");
}

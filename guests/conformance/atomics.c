/* atomics.c - __atomic_* and __sync_* builtins on 8-, 16- and 32-bit
 * objects: all become LL/SC loops (with masking for sub-word sizes) and
 * SYNC barriers. Single-threaded, so the results are exact. */
#include "conf.h"

static int32_t counter;
static uint32_t flags;
static uint8_t bytes[4];
static uint16_t halves[2];
static int lock;

static void spin_lock(int *l)
{
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        ;
}

static void spin_unlock(int *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

int main(void)
{
    int32_t old = __atomic_fetch_add(&counter, 5, __ATOMIC_SEQ_CST);
    printf("fetch_add: old=%d new=%d\n", old, counter);
    old = __atomic_fetch_sub(&counter, 7, __ATOMIC_SEQ_CST);
    printf("fetch_sub: old=%d new=%d\n", old, counter);
    int32_t nv = __atomic_add_fetch(&counter, 100, __ATOMIC_RELAXED);
    printf("add_fetch: %d\n", nv);

    int32_t expected = 98;
    int ok = __atomic_compare_exchange_n(&counter, &expected, 1000, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas(98->1000): ok=%d counter=%d expected=%d\n", ok, counter, expected);
    expected = 5;
    ok = __atomic_compare_exchange_n(&counter, &expected, 2000, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas(5->2000): ok=%d counter=%d expected=%d\n", ok, counter, expected);
    ok = __atomic_compare_exchange_n(&counter, &expected, 3000, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    printf("weak cas: ok=%d counter=%d\n", ok, counter);

    /* (one atomic per statement: argument evaluation order is unspecified) */
    old = __atomic_exchange_n(&counter, -1, __ATOMIC_SEQ_CST);
    printf("exchange: %d -> %d\n", old, counter);

    __atomic_store_n(&flags, 0xf0f0u, __ATOMIC_SEQ_CST);
    uint32_t r1 = __atomic_fetch_or(&flags, 0x0f00u, __ATOMIC_SEQ_CST);
    uint32_t r2 = __atomic_fetch_and(&flags, 0xff0fu, __ATOMIC_SEQ_CST);
    uint32_t r3 = __atomic_fetch_xor(&flags, 0xffffu, __ATOMIC_SEQ_CST);
    uint32_t r4 = __atomic_fetch_nand(&flags, 0x00ffu, __ATOMIC_SEQ_CST);
    uint32_t r5 = __atomic_load_n(&flags, __ATOMIC_SEQ_CST);
    printf("fetch_or=%x fetch_and=%x fetch_xor=%x fetch_nand=%x final=%x\n", r1, r2, r3, r4, r5);

    /* __sync family */
    int32_t s1 = __sync_fetch_and_add(&counter, 10);
    int32_t s2 = __sync_add_and_fetch(&counter, 10);
    printf("sync_fetch_and_add=%d sync_add_and_fetch=%d\n", s1, s2);
    s1 = __sync_bool_compare_and_swap(&counter, 19, 50);
    s2 = __sync_val_compare_and_swap(&counter, 50, 60);
    printf("sync_bool_cas=%d sync_val_cas=%d\n", s1, s2);
    s1 = __sync_lock_test_and_set(&counter, 77);
    printf("sync_lock_test_and_set=%d\n", s1);
    __sync_lock_release(&counter);
    __sync_synchronize();
    printf("after release: %d\n", counter);
    r1 = __sync_or_and_fetch(&flags, 0x10000u);
    r2 = __sync_and_and_fetch(&flags, 0x1ffffu);
    r3 = __sync_xor_and_fetch(&flags, 0x3u);
    printf("sync or/and/xor: %x %x %x\n", r1, r2, r3);

    /* sub-word atomics: masked LL/SC on the containing word */
    for (int i = 0; i < 300; i++) {
        __atomic_fetch_add(&bytes[i & 3], (uint8_t)(i + 1), __ATOMIC_SEQ_CST);
        __atomic_fetch_sub(&halves[i & 1], (uint16_t)(i * 3), __ATOMIC_SEQ_CST);
    }
    uint8_t eb = bytes[2];
    __atomic_compare_exchange_n(&bytes[2], &eb, 0x5a, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("bytes: %02x %02x %02x %02x halves: %04x %04x\n",
           bytes[0], bytes[1], bytes[2], bytes[3], halves[0], halves[1]);
    uint8_t x8 = __atomic_exchange_n(&bytes[3], 0xee, __ATOMIC_SEQ_CST);
    printf("xchg8=%02x now %02x\n", x8, bytes[3]);

    for (int i = 0; i < 1000; i++) {
        spin_lock(&lock);
        counter++;
        spin_unlock(&lock);
    }
    printf("spinlock counter=%d lock=%d\n", counter, lock);
    printf("lock-free 1/2/4/8: %d %d %d %d\n", __atomic_always_lock_free(1, 0),
           __atomic_always_lock_free(2, 0), __atomic_always_lock_free(4, 0),
           __atomic_always_lock_free(8, 0));

    CHECK_EQ(counter, 1000);
    CHECK_EQ(bytes[2], 0x5a);
    mix32((uint32_t)counter);
    mix32(flags);
    return conf_done("atomics");
}

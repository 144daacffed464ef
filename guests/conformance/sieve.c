/* sieve.c - sieve of Eratosthenes over a large bss array, plus a bit-packed
 * sieve. Exit status: number of primes below LIMIT, modulo 251 (non-zero). */
#include "conf.h"

#define LIMIT 300000

static uint8_t composite[LIMIT];
static uint32_t bits[LIMIT / 32 + 1];

int main(void)
{
    unsigned count = 0, last = 0;
    for (unsigned i = 2; i < LIMIT; i++) {
        if (composite[i])
            continue;
        count++;
        last = i;
        for (unsigned j = i * 2; j < LIMIT; j += i)
            composite[j] = 1;
    }

    unsigned count2 = 0;
    for (unsigned i = 2; i < LIMIT; i++) {
        if (bits[i >> 5] & (1u << (i & 31)))
            continue;
        count2++;
        for (unsigned j = i * i; i < 65536 && j < LIMIT; j += i)
            bits[j >> 5] |= 1u << (j & 31);
    }

    printf("primes below %u: %u (bit sieve %u), largest %u\n", LIMIT, count, count2, last);
    unsigned twins = 0;
    for (unsigned i = 3; i + 2 < LIMIT; i += 2)
        if (!composite[i] && !composite[i + 2])
            twins++;
    printf("twin prime pairs: %u\n", twins);
    CHECK_EQ(count, count2);
    CHECK_EQ(count, 25997);
    mix32(count);
    mix32(twins);
    int r = conf_done("sieve");
    return r ? r : (int)(count % 251);
}

/*
 * engineering - TLB heavy, like Disco's engineering workload: a working set
 * larger than the TLB reaches (64 entries x 2 x 4 KB = 512 KB) walked in
 * strided and scattered patterns, so that most accesses need a TLB refill.
 * Linux calls only, so qemu-mipsel is its oracle.
 *   engineering [kilobytes] [rounds]   defaults: 1536 3
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define PAGE_WORDS 1024

int main(int argc, char **argv)
{
    int kb = argc > 1 ? atoi(argv[1]) : 1536;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    if (kb < 64 || rounds < 1)
        return 2;
    uint32_t words = (uint32_t)kb * 256;
    uint32_t rows = words / PAGE_WORDS;
    uint32_t *mem = malloc((size_t)words * 4);
    if (!mem) {
        printf("engineering: cannot allocate %d KB\n", kb);
        return 1;
    }
    for (uint32_t i = 0; i < words; i++)
        mem[i] = i * 2654435761u;
    printf("engineering: %d KB working set (%u pages), %d rounds\n", kb, rows, rounds);

    for (int round = 1; round <= rounds; round++) {
        /* 1: strided sweeps, one page further at every step */
        uint32_t acc = (uint32_t)round;
        for (uint32_t pass = 0; pass < 4; pass++) {
            uint32_t stride = PAGE_WORDS + 1 + 2 * pass, idx = pass;
            for (uint32_t k = 0; k < words / 8; k++) {
                acc = (acc << 3 | acc >> 29) ^ mem[idx];
                mem[idx] += acc >> 7;
                idx += stride;
                if (idx >= words)
                    idx -= words;
            }
        }
        /* 2: scattered gate evaluations (gather two inputs, scatter one output) */
        uint32_t seed = 0x1234567u + (uint32_t)round, gates = 0;
        for (uint32_t k = 0; k < words / 4; k++) {
            seed = seed * 1664525u + 1013904223u;
            uint32_t a = (seed >> 8) % words;
            uint32_t b = (a * 7919u + k) % words;
            uint32_t out = (a + b * 31u) % words;
            mem[out] = (mem[a] ^ mem[b]) * 3u + k;
            gates += mem[out] >> 31;
        }
        /* 3: column-major walk of a rows x 1024 matrix: every access a new page */
        uint32_t colsum = 0;
        for (uint32_t col = (uint32_t)round; col < PAGE_WORDS; col += 16)
            for (uint32_t row = 0; row < rows; row++)
                colsum += mem[row * PAGE_WORDS + col] ^ row;
        printf("engineering: round %d: sweep %08x, %u gates high, columns %08x\n", round, acc, gates, colsum);
    }
    uint32_t check = 0;
    for (uint32_t i = 0; i < words; i++)
        check = (check << 1 | check >> 31) ^ mem[i];
    printf("engineering: final checksum %08x\n", check);
    free(mem);
    return 0;
}

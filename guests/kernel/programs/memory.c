/*
 * memory - memory heavy: touches many fresh heap pages (each one a TLB miss
 * and a demand-zero fault) and a deep stack, then reads everything back with
 * strides. Linux calls only, so qemu-mipsel is its oracle.
 *   memory [heap-pages] [stack-kb]     defaults: 192 64
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#define PAGE 4096

static uint32_t recurse(int depth, uint32_t x)
{
    volatile uint8_t frame[1000];
    frame[0] = (uint8_t)x;
    frame[999] = (uint8_t)(x >> 8);
    if (depth == 0)
        return x;
    return recurse(depth - 1, x * 31u + frame[0] + frame[999]) + frame[500];
}

int main(int argc, char **argv)
{
    int pages = argc > 1 ? atoi(argv[1]) : 192;
    int stack_kb = argc > 2 ? atoi(argv[2]) : 64;
    uint8_t *buf = malloc((size_t)pages * PAGE);
    if (!buf) {
        printf("memory: cannot allocate %d pages\n", pages);
        return 1;
    }
    for (int i = 0; i < pages; i++) {
        uint32_t *w = (uint32_t *)(buf + (size_t)i * PAGE);
        for (int k = 0; k < PAGE / 4; k += 64)
            w[k] = (uint32_t)i * 2654435761u + (uint32_t)k;
    }
    uint32_t sum = 0;
    for (int stride = 1; stride <= 7; stride += 2)
        for (int i = 0; i < pages; i += stride) {
            const uint32_t *w = (const uint32_t *)(buf + (size_t)i * PAGE);
            for (int k = 0; k < PAGE / 4; k += 64)
                sum = (sum << 1 | sum >> 31) ^ w[k];
        }
    uint32_t deep = recurse(stack_kb, 7);
    printf("memory: touched %d heap pages (%d KB) and ~%d KB of stack, checksum %08x %08x\n",
           pages, pages * 4, stack_kb, sum, deep);
    free(buf);
    return 0;
}

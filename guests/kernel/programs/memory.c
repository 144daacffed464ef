/*
 * memory - memory heavy: touches many fresh heap pages (each one a TLB miss
 * and a demand-zero fault) and a deep stack, then reads everything back with
 * strides. At the end it gives the top of the heap back with brk and takes it
 * again: the pages must come back zero (not the old contents through a stale
 * TLB entry). Linux calls only, so qemu-mipsel is its oracle.
 *   memory [heap-pages] [stack-kb]     defaults: 192 64
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

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

    /* Shrink the break to a page boundary below the last 8 pages we wrote
     * (the page holding the new break would keep its bytes), grow it back,
     * and look: those pages must read as zero. */
    uint8_t *top = sbrk(0);
    uint8_t *last = buf + (size_t)pages * PAGE;
    uint8_t *cut = (uint8_t *)(((uintptr_t)(last - 8 * PAGE) + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
    int nonzero = -1;
    if (pages >= 9 && last <= top && sbrk(-(intptr_t)(top - cut)) != (void *)-1
        && sbrk(top - cut) != (void *)-1) {
        nonzero = 0;
        for (uint8_t *p = cut; p < last; p++)
            nonzero += *p != 0;
    }
    printf("memory: brk shrink and regrow: %d nonzero bytes\n", nonzero);
    return 0;
}

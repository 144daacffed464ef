/*
 * fault - does one forbidden thing and is killed for it; the kernel names the
 * fault and the PC, and everything else goes on. The line before the fault
 * is flushed, so qemu-mipsel prints the same up to the signal.
 *   fault [text|unaligned|null|kseg0|break|ri|cop1|overflow|trap|divzero|stack]
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern uint32_t _ftext[];   /* the first word of text: 4-byte aligned */
static volatile int zero;

static volatile int forever = 1;

static int grow(int n)
{
    volatile char pad[4096];
    pad[0] = (char)n;
    return forever ? grow(n + 1) + pad[0] : n;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "text";
    printf("fault: %s: about to fault\n", what);
    if (strcmp(what, "text") == 0) {
        *(volatile uint32_t *)_ftext = 0;                    /* TLB modified */
    } else if (strcmp(what, "unaligned") == 0) {
        uint32_t v;
        __asm__ volatile("lw %0, 2(%1)" : "=r"(v) : "r"(_ftext));   /* address error */
        printf("fault: read %u\n", v);
    } else if (strcmp(what, "null") == 0) {
        printf("fault: read %d\n", *(volatile int *)(uintptr_t)zero);   /* no mapping */
    } else if (strcmp(what, "kseg0") == 0) {
        *(volatile uint32_t *)0x80001000u = 1;               /* address error: kernel segment */
    } else if (strcmp(what, "break") == 0) {
        __asm__ volatile("break");
    } else if (strcmp(what, "ri") == 0) {
        __asm__ volatile(".word 0x60000000");                 /* reserved on MIPS32 (DADDI) */
    } else if (strcmp(what, "cop1") == 0) {
        __asm__ volatile(".word 0x44080000" ::: "$8");        /* mfc1 $t0, $f0: no FPU */
    } else if (strcmp(what, "overflow") == 0) {
        int32_t r;
        __asm__ volatile("add %0, %1, %2" : "=r"(r) : "r"(0x7fffffff), "r"(1));
        printf("fault: sum %d\n", r);
    } else if (strcmp(what, "trap") == 0) {
        __asm__ volatile("teq $0, $0, 3");
    } else if (strcmp(what, "divzero") == 0) {
        printf("fault: quotient %d\n", 7 / zero);
    } else if (strcmp(what, "stack") == 0) {
        printf("fault: depth %d\n", grow(0));                /* runs off the 1 MB stack */
    } else {
        printf("fault: unknown fault '%s'\n", what);
        return 2;
    }
    printf("fault: %s: survived\n", what);
    return 1;
}

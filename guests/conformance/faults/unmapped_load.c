/* unmapped_load.c - lw from 0x10, which no segment maps: TLB miss on load
 * (TLBL) that the kernel cannot satisfy. Linux: SIGSEGV. */
#include "common.h"

int main(void)
{
    uint32_t v;
    ANNOUNCE("lw from unmapped address 0x10");
    __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(0x10) : "memory");
    printf("loaded %08x\n", v);
    NOT_REACHED();
}

/* unaligned_load.c - lw from an address that is not a multiple of 4:
 * Address Error on load (AdEL, ExcCode 4). Linux: SIGBUS. */
#include "common.h"

static uint8_t buf[16] __attribute__((aligned(4)));

int main(void)
{
    uint32_t v;
    ANNOUNCE("lw from an unaligned address");
    __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(buf + 1) : "memory");
    printf("loaded %08x\n", v);
    NOT_REACHED();
}

/* cop1.c - mfc1 $t0, $f0 (.word 0x44080000). On the ActorVmm CPU (24Kc, no
 * FPU) this is Coprocessor Unusable with CE=1 (ExcCode 11). See
 * docs/GUESTS.md for what qemu-mipsel does: its default CPU has an FPU. */
#include "common.h"

int main(void)
{
    uint32_t v;
    ANNOUNCE("mfc1 $t0, $f0");
    __asm__ volatile(".word 0x44080000\n\tmove %0, $t0" : "=r"(v) : : "$8");
    printf("mfc1 gave %08x\n", v);
    NOT_REACHED();
}

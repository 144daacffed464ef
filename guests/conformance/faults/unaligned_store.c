/* unaligned_store.c - sh to an odd address: Address Error on store (AdES,
 * ExcCode 5). Linux: SIGBUS. */
#include "common.h"

static uint8_t buf[16] __attribute__((aligned(4)));

int main(void)
{
    ANNOUNCE("sh to an odd address");
    __asm__ volatile("sh %0, 0(%1)" : : "r"(0x1234), "r"(buf + 3) : "memory");
    NOT_REACHED();
}

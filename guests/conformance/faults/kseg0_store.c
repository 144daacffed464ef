/* kseg0_store.c - sw to 0x80000000 (kseg0) from user mode: Address Error
 * on store (AdES). Linux: SIGSEGV (not SIGBUS: it is a bad address, not a
 * misaligned one). */
#include "common.h"

int main(void)
{
    ANNOUNCE("sw to kseg0 (0x80000000) from user mode");
    __asm__ volatile("sw %0, 0(%1)" : : "r"(0x5a5a5a5a), "r"(0x80000000u) : "memory");
    NOT_REACHED();
}

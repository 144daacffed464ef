/* add_overflow.c - `add` (the trapping form) of INT_MAX + 1: Integer
 * Overflow (Ov, ExcCode 12). Linux: SIGFPE. */
#include "common.h"

int main(void)
{
    int32_t r;
    ANNOUNCE("add 0x7fffffff + 1");
    __asm__ volatile("add %0, %1, %2" : "=r"(r) : "r"(0x7fffffff), "r"(1));
    printf("sum %d\n", r);
    NOT_REACHED();
}

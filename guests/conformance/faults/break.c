/* break.c - the break instruction (code 0): Breakpoint (Bp, ExcCode 9).
 * Linux: SIGTRAP. */
#include "common.h"

int main(void)
{
    ANNOUNCE("break");
    __asm__ volatile("break");
    NOT_REACHED();
}

/* teq_trap.c - teq with equal operands and code 0: Trap (Tr, ExcCode 13).
 * Linux: SIGTRAP. */
#include "common.h"

int main(void)
{
    ANNOUNCE("teq $0, $0");
    __asm__ volatile("teq $0, $0");
    NOT_REACHED();
}

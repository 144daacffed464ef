/* reserved.c - a reserved instruction: major opcode 0x18 (DADDI on MIPS64,
 * reserved on MIPS32): Reserved Instruction (RI, ExcCode 10). Linux: SIGILL. */
#include "common.h"

int main(void)
{
    ANNOUNCE("reserved opcode 0x60000000");
    __asm__ volatile(".word 0x60000000");
    NOT_REACHED();
}

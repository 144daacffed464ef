/* jump_null.c - call through a null function pointer: the instruction
 * fetch from address 0 misses (TLBL on fetch). Linux: SIGSEGV. */
#include "common.h"

static void (*volatile fn)(void);

int main(void)
{
    ANNOUNCE("jalr to address 0");
    fn();
    NOT_REACHED();
}

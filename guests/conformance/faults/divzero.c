/* divzero.c - integer division by zero: GCC follows every div with
 * `teq divisor, $0, 7`, so this is a Trap with code 7. Linux: SIGFPE. */
#include "common.h"

static volatile int32_t divisor = 0;

int main(void)
{
    ANNOUNCE("42 / 0 (GCC's teq ..., 7 check)");
    int32_t q = 42 / divisor;
    printf("quotient %d\n", q);
    NOT_REACHED();
}

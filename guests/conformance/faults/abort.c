/* abort.c - abort(): the libc raises SIGABRT at itself (kill(getpid(), 6)),
 * falling back to exit_group(134) where kill is not implemented. */
#include <stdlib.h>
#include "common.h"

int main(void)
{
    ANNOUNCE("abort()");
    abort();
}

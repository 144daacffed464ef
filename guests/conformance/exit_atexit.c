/* exit_atexit.c - exit() from deep inside the program: atexit handlers run
 * in reverse order, stdout is flushed (including a line without '\n'), and
 * the status is truncated to 8 bits by the kernel: exit(300) -> 44. */
#include "conf.h"

static void first(void) { printf("atexit: registered first, runs last\n"); }
static void second(void) { printf("atexit: registered second, runs first\n"); }

static void (*volatile do_exit)(int) = exit;

__attribute__((noinline)) static int leave(int depth, int status)
{
    if (depth == 0) {
        printf("no newline before exit");
        do_exit(status);
        return 0;
    }
    return leave(depth - 1, status + 1) + 1;
}

int main(void)
{
    atexit(first);
    atexit(second);
    printf("calling exit(300) from depth 10\n");
    leave(OPQ(10), 290);
    return 1;
}

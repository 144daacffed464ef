/* exit_raw.c - the raw exit system call (4001, not exit_group), so stdio
 * is NOT flushed and atexit handlers do NOT run. Status 7. */
#include <sys/syscall.h>
#include <unistd.h>
#include "conf.h"

static void never(void) { printf("this must not appear\n"); }

int main(void)
{
    atexit(never);
    write(1, "before raw exit\n", 16);
    printf("buffered, never flushed");
    syscall(SYS_exit, 7);
    return 1;
}

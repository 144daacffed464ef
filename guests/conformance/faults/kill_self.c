/* kill_self.c - kill(getpid(), SIGKILL): the process ends at once with
 * status 137 (128 + 9), as under Linux. Nothing can catch SIGKILL, so
 * qemu-mipsel itself dies of it, without a word. */
#include <signal.h>
#include <unistd.h>
#include "common.h"

int main(void)
{
    ANNOUNCE("kill(getpid(), SIGKILL)");
    kill(getpid(), SIGKILL);
    NOT_REACHED();
}

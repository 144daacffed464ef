/* write_then_spin.c - a line the program writes is out when write() returns:
 * with the argument "spin" the program then spins until it is killed, and
 * the line must have reached whoever reads its stdout (qemu-mipsel passes
 * each write straight to the host; exec once buffered it and lost it).
 * Without arguments it exits, so that the differential tests can run it. */
#include "conf.h"

int main(int argc, char **argv)
{
    printf("written before spinning\n");
    if (argc > 1 && strcmp(argv[1], "spin") == 0)
        for (volatile unsigned i = 0;; i++)
            ;
    return conf_done("write_then_spin");
}

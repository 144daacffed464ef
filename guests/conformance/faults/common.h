/* common.h - fault programs: say what is about to happen (stdout is line
 * buffered, so the line is out before the fault), then do it. Reaching the
 * end is a failure: exit status 1 and a message. */
#ifndef FAULTS_COMMON_H
#define FAULTS_COMMON_H
#include <stdio.h>
#include <stdint.h>

#define ANNOUNCE(what) printf("fault: %s\n", what)
#define NOT_REACHED() do { printf("no fault happened\n"); return 1; } while (0)
#endif

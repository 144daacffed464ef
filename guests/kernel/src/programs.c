/* programs.c - find an embedded program by name. */
#include "kernel.h"

extern const struct program programs_end[];

const struct program *find_program(const char *name)
{
    for (const struct program *p = programs; p < programs_end; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return 0;
}

/* hello.c - the smallest useful guest: argv, environment-free output, exit 0. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("Hello from MIPS32r2 (argc=%d)\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}

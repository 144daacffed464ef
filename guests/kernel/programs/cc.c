/*
 * cc - one pmake job: "compiles" a generated source file. It makes system
 * calls (getpid, brk through malloc, write), touches fresh heap and stack
 * pages, computes a little and exits with a status derived from its result.
 * Linux calls only. The tests recompute every job's line and status in C#,
 * so the generator and the hash below are part of the contract:
 *   lines  = 48 + (wave * 37 + job * 11) % 80
 *   seed   = (wave * 1000 + job) * 2654435761 + 1      (uint32)
 *   byte i: seed = seed * 1103515245 + 12345; ALPHABET[(seed >> 16) % 20]
 *   ALPHABET = "abcdefgh ijk(){};=+\n" (20 characters)
 *   hash   = FNV-1a (32 bit) over the lines * 64 bytes
 *   statements = count of ';', status = hash >> 25
 *   cc WAVE JOB
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char ALPHABET[] = "abcdefgh ijk(){};=+\n";
_Static_assert(sizeof ALPHABET - 1 == 20, "20 characters");

int main(int argc, char **argv)
{
    if (argc < 3)
        return 255;
    int wave = atoi(argv[1]), job = atoi(argv[2]);
    int lines = 48 + (wave * 37 + job * 11) % 80;
    size_t size = (size_t)lines * 64;
    char *src = malloc(size);
    if (!src)
        return 254;
    uint32_t seed = (uint32_t)(wave * 1000 + job) * 2654435761u + 1u;
    for (size_t i = 0; i < size; i++) {
        seed = seed * 1103515245u + 12345u;
        src[i] = ALPHABET[(seed >> 16) % 20];
    }
    uint32_t hash = 2166136261u;
    int statements = 0;
    for (size_t i = 0; i < size; i++) {
        hash = (hash ^ (uint8_t)src[i]) * 16777619u;
        statements += src[i] == ';';
    }
    if (getpid() != getpid())
        return 253;
    printf("cc %d.%02d: %d lines, %d statements, hash %08x\n", wave, job, lines, statements, hash);
    free(src);
    return (int)(hash >> 25);
}

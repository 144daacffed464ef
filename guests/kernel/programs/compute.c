/*
 * compute - compute-bound: a sieve of Eratosthenes and an integer matrix
 * product. Linux calls only (write, brk, exit), so qemu-mipsel is its oracle.
 *   compute [limit] [matrix-size]      defaults: 30000 40
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#define MAXN 64
static int32_t a[MAXN][MAXN], b[MAXN][MAXN], c[MAXN][MAXN];

int main(int argc, char **argv)
{
    int limit = argc > 1 ? atoi(argv[1]) : 30000;
    int n = argc > 2 ? atoi(argv[2]) : 40;
    if (limit < 2 || n < 1 || n > MAXN) {
        printf("compute: bad arguments\n");
        return 2;
    }

    char *composite = calloc((size_t)limit + 1, 1);
    if (!composite) {
        printf("compute: out of memory\n");
        return 1;
    }
    int count = 0;
    uint32_t sum = 0;
    for (int i = 2; i <= limit; i++) {
        if (composite[i])
            continue;
        count++;
        sum += (uint32_t)i;
        for (int j = i * 2; j <= limit; j += i)
            composite[j] = 1;
    }
    printf("compute: %d primes up to %d, sum %u\n", count, limit, sum);

    uint32_t seed = 12345;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            seed = seed * 1103515245u + 12345u;
            a[i][j] = (int32_t)((seed >> 16) % 201) - 100;
            seed = seed * 1103515245u + 12345u;
            b[i][j] = (int32_t)((seed >> 16) % 201) - 100;
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int32_t s = 0;
            for (int k = 0; k < n; k++)
                s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
    int64_t trace = 0;
    uint32_t check = 0;
    for (int i = 0; i < n; i++) {
        trace += c[i][i];
        for (int j = 0; j < n; j++)
            check = (check << 5 | check >> 27) ^ (uint32_t)c[i][j];
    }
    printf("compute: %dx%d matrix product, trace %lld, checksum %08x\n", n, n, (long long)trace, check);
    free(composite);
    return 0;
}

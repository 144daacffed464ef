/* recursion.c - deep-ish recursion: Ackermann, Fibonacci, Towers of Hanoi,
 * N-queens, permutations, mutual recursion. Exercises jal/jr ra, stack
 * frames, saved registers. */
#include "conf.h"

static unsigned long calls;

__attribute__((noinline)) static unsigned ack(unsigned m, unsigned n)
{
    calls++;
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

__attribute__((noinline)) static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint32_t moves_hash;
__attribute__((noinline)) static unsigned hanoi(int n, int from, int to, int via)
{
    if (n == 0)
        return 0;
    unsigned c = hanoi(n - 1, from, via, to);
    moves_hash = moves_hash * 7 + (uint32_t)(from * 3 + to);
    return c + 1 + hanoi(n - 1, via, to, from);
}

static int queens(int n, int row, unsigned cols, unsigned d1, unsigned d2)
{
    if (row == n)
        return 1;
    int count = 0;
    for (int c = 0; c < n; c++) {
        unsigned a = 1u << c, b = 1u << (row + c), e = 1u << (row - c + n);
        if ((cols & a) || (d1 & b) || (d2 & e))
            continue;
        count += queens(n, row + 1, cols | a, d1 | b, d2 | e);
    }
    return count;
}

static uint32_t perm_hash;
static void permute(char *s, int k, int n)
{
    if (k == n) {
        for (int i = 0; i < n; i++)
            perm_hash = perm_hash * 31 + (uint32_t)s[i];
        return;
    }
    for (int i = k; i < n; i++) {
        char t = s[k]; s[k] = s[i]; s[i] = t;
        permute(s, k + 1, n);
        t = s[k]; s[k] = s[i]; s[i] = t;
    }
}

static int is_odd(unsigned n);
__attribute__((noinline)) static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
__attribute__((noinline)) static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

/* Recursion with a sizeable frame. */
__attribute__((noinline)) static uint32_t deep(int depth)
{
    volatile uint32_t local[16];
    for (int i = 0; i < 16; i++)
        local[i] = (uint32_t)(depth * 16 + i);
    uint32_t r = depth ? deep(depth - 1) : 0;
    for (int i = 0; i < 16; i++)
        r = r * 3 + local[i];
    return r;
}

int main(void)
{
    for (unsigned m = 0; m <= 3; m++) {
        for (unsigned n = 0; n <= 5; n++) {
            calls = 0;
            unsigned a = ack(OPQ(m), OPQ(n));
            printf("ack(%u,%u)=%u calls=%lu\n", m, n, a, calls);
            mix32(a);
        }
    }
    calls = 0;
    printf("ack(3,6)=%u calls=%lu\n", ack(OPQ(3u), 6), calls);
    printf("fib(25)=%u\n", fib(OPQ(25u)));
    unsigned mv = hanoi(OPQ(16), 1, 3, 2);
    printf("hanoi(16)=%u hash=%08x\n", mv, moves_hash);
    for (int n = 4; n <= 9; n++)
        printf("queens(%d)=%d\n", n, queens(OPQ(n), 0, 0, 0, 0));
    char s[] = "abcdefg";
    permute(s, 0, 7);
    printf("permutations hash=%08x\n", perm_hash);
    printf("is_even(10001)=%d is_odd(777)=%d\n", is_even(OPQ(10001u)), is_odd(OPQ(777u)));
    printf("deep(2000)=%08x\n", deep(OPQ(2000)));
    CHECK_EQ(ack(OPQ(2u), 3), 9);
    CHECK_EQ(fib(OPQ(20u)), 6765);
    CHECK_EQ(queens(8, 0, 0, 0, 0), 92);
    mix32(moves_hash);
    mix32(perm_hash);
    return conf_done("recursion");
}

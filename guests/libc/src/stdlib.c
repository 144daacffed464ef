#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/*
 * One parser for the strto* family: optional space, sign, base prefix
 * (0x/0X for 16 or 0, leading 0 for 0 = octal), then digits. Returns the
 * magnitude clamped to `limit` (plus *overflow), and the sign.
 */
static unsigned long long parse(const char *s, char **end, int base,
                                unsigned long long limit, int *neg, int *overflow)
{
    const char *p = s;
    unsigned long long v = 0;
    int any = 0;

    *neg = 0;
    *overflow = 0;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)s;
        return 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')
        && isxdigit((unsigned char)p[2])) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    unsigned long long cutoff = limit / (unsigned)base;
    unsigned cutlim = (unsigned)(limit % (unsigned)base);
    for (;; p++) {
        int c = (unsigned char)*p, d;
        if (isdigit(c))
            d = c - '0';
        else if (isalpha(c))
            d = tolower(c) - 'a' + 10;
        else
            break;
        if (d >= base)
            break;
        any = 1;
        if (*overflow)
            continue;
        if (v > cutoff || (v == cutoff && (unsigned)d > cutlim)) {
            *overflow = 1;
            v = limit;
        } else {
            v = v * (unsigned)base + (unsigned)d;
        }
    }
    if (end)
        *end = (char *)(any ? p : s);
    if (*overflow)
        errno = ERANGE;
    return v;
}

long long strtoll(const char *s, char **end, int base)
{
    int neg, ovf;
    /* limit: LLONG_MAX for +, LLONG_MAX+1 for - ; parse with the larger and fix up */
    unsigned long long v = parse(s, end, base, (unsigned long long)LLONG_MAX + 1, &neg, &ovf);
    if (!neg && v > (unsigned long long)LLONG_MAX) {
        errno = ERANGE;
        return LLONG_MAX;
    }
    if (ovf)
        return neg ? LLONG_MIN : LLONG_MAX;
    return neg ? (long long)(0ull - v) : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
    int neg, ovf;
    unsigned long long v = parse(s, end, base, (unsigned long long)LONG_MAX + 1, &neg, &ovf);
    if (!neg && v > (unsigned long long)LONG_MAX) {
        errno = ERANGE;
        return LONG_MAX;
    }
    if (ovf)
        return neg ? LONG_MIN : LONG_MAX;
    return neg ? (long)(0ul - (unsigned long)v) : (long)v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
    int neg, ovf;
    unsigned long long v = parse(s, end, base, ULLONG_MAX, &neg, &ovf);
    if (ovf)
        return ULLONG_MAX;
    return neg ? 0ull - v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    int neg, ovf;
    unsigned long long v = parse(s, end, base, ULONG_MAX, &neg, &ovf);
    if (ovf)
        return ULONG_MAX;
    return neg ? 0ul - (unsigned long)v : (unsigned long)v;
}

intmax_t strtoimax(const char *s, char **end, int base) { return strtoll(s, end, base); }
uintmax_t strtoumax(const char *s, char **end, int base) { return strtoull(s, end, base); }

int atoi(const char *s) { return (int)strtol(s, 0, 10); }
long atol(const char *s) { return strtol(s, 0, 10); }
long long atoll(const char *s) { return strtoll(s, 0, 10); }

int abs(int j) { return j < 0 ? -j : j; }
long labs(long j) { return j < 0 ? -j : j; }
long long llabs(long long j) { return j < 0 ? -j : j; }
intmax_t imaxabs(intmax_t j) { return j < 0 ? -j : j; }

div_t div(int n, int d) { div_t r = { n / d, n % d }; return r; }
ldiv_t ldiv(long n, long d) { ldiv_t r = { n / d, n % d }; return r; }
lldiv_t lldiv(long long n, long long d) { lldiv_t r = { n / d, n % d }; return r; }

/* --- qsort: quicksort (median of three) with insertion sort for short runs;
 * recursion only on the smaller side, so the stack stays O(log n). --- */

static void swap_bytes(char *a, char *b, size_t size)
{
    if (a == b)
        return;
    if (size == 4 && (((uintptr_t)a | (uintptr_t)b) & 3) == 0) {
        uint32_t t = *(uint32_t *)a;
        *(uint32_t *)a = *(uint32_t *)b;
        *(uint32_t *)b = t;
        return;
    }
    while (size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

static void sort(char *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    while (n > 8) {
        char *lo = base, *hi = base + (n - 1) * size, *mid = base + (n / 2) * size;
        if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
        if (cmp(hi, mid) < 0) {
            swap_bytes(hi, mid, size);
            if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
        }
        swap_bytes(mid, lo, size);          /* pivot to the front */
        char *i = lo, *j = hi + size;
        for (;;) {
            do i += size; while (i <= hi && cmp(i, lo) < 0);
            do j -= size; while (cmp(j, lo) > 0);
            if (i >= j)
                break;
            swap_bytes(i, j, size);
        }
        swap_bytes(lo, j, size);
        size_t left = (size_t)(j - base) / size;
        size_t right = n - left - 1;
        if (left < right) {
            sort(base, left, size, cmp);
            base = j + size;
            n = right;
        } else {
            sort(j + size, right, size, cmp);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++)
        for (char *p = base + i * size; p > base && cmp(p - size, p) > 0; p -= size)
            swap_bytes(p - size, p, size);
}

void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))
{
    if (nmemb > 1 && size > 0)
        sort(base, nmemb, size, compar);
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
              int (*compar)(const void *, const void *))
{
    const char *b = base;
    while (nmemb > 0) {
        const char *mid = b + (nmemb / 2) * size;
        int c = compar(key, mid);
        if (c == 0)
            return (void *)mid;
        if (c > 0) {
            b = mid + size;
            nmemb -= nmemb / 2 + 1;
        } else {
            nmemb /= 2;
        }
    }
    return 0;
}

/* --- rand: the LCG of the C standard's example, RAND_MAX 32767 --- */

static unsigned long rand_next = 1;

int rand(void)
{
    rand_next = rand_next * 1103515245ul + 12345ul;
    return (int)((rand_next / 65536ul) % 32768ul);
}

void srand(unsigned int seed)
{
    rand_next = seed;
}

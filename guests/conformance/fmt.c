/* fmt.c - printf-heavy output: every conversion, flag, width, precision
 * and length modifier the libc supports, through printf, fprintf, sprintf,
 * snprintf (with truncation) and vsnprintf. The expected strings are what
 * glibc prints. */
#include <stdarg.h>
#include <sys/types.h>
#include "conf.h"

static char buf[256];

#define T(expect, ...) do { \
    int n_ = snprintf(buf, sizeof buf, __VA_ARGS__); \
    printf("[%s] %d\n", buf, n_); \
    if (strcmp(buf, expect) != 0 || n_ != (int)strlen(expect)) { \
        conf_failures++; \
        printf("FAIL line %d: expected [%s]\n", __LINE__, expect); \
    } \
    mix32((uint32_t)n_); \
} while (0)

static int my_vsn(char *b, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int my_vsn(char *b, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(b, n, fmt, ap);
    va_end(ap);
    return r;
}

int main(void)
{
    int zero = OPQ(0), neg = OPQ(-42), pos = OPQ(42);

    T("42", "%d", pos);
    T("-42", "%i", neg);
    T("0", "%d", zero);
    T("-2147483648", "%d", OPQ(INT_MIN));
    T("2147483647", "%d", OPQ(INT_MAX));
    T("4294967295", "%u", OPQ(UINT_MAX));
    T("ffffffff FFFFFFFF 37777777777", "%x %X %o", OPQ(UINT_MAX), OPQ(UINT_MAX), OPQ(UINT_MAX));
    T("|   42|42   |00042|  +42|+42  | 42|", "|%5d|%-5d|%05d|%+5d|%-+5d|% d|", pos, pos, pos, pos, pos, pos);
    T("|  -42|-42  |-0042|  -42|", "|%5d|%-5d|%05d|%+5d|", neg, neg, neg, neg);
    T("|00042|  00042|-00042|", "|%.5d|%7.5d|%.5d|", pos, pos, neg);
    T("||  ||", "|%.0d|%2.0d|%.0x|", zero, zero, OPQ(0u));
    T("0x2a 0X2A 052 0 0", "%#x %#X %#o %#x %#o", OPQ(42u), OPQ(42u), OPQ(42u), OPQ(0u), OPQ(0u));
    T("0x00002a|0x2a    |  0x002a", "%#08x|%-#8x|%#8.4x", OPQ(42u), OPQ(42u), OPQ(42u));
    T("   2a|2a   |0002a", "%*x|%-*x|%.*x", 5, OPQ(42u), 5, OPQ(42u), 5, OPQ(42u));
    T("2a   |42", "%*x|%.*d", -5, OPQ(42u), -3, pos);
    T("-1 255 65535 -1 -128 127", "%hhd %hhu %hu %hd %hhd %hhd", OPQ(255), OPQ(-1), OPQ(-1), OPQ(65535), OPQ(128), OPQ(127));
    T("-1 4294967295", "%ld %lu", OPQ(-1L), OPQ(-1UL));
    T("-9223372036854775808 18446744073709551615", "%lld %llu", OPQ(LLONG_MIN), OPQ(ULLONG_MAX));
    T("7fffffffffffffff 1777777777777777777777", "%llx %llo", OPQ(LLONG_MAX), OPQ(ULLONG_MAX));
    T("123456789012 -123456789012", "%jd %jd", OPQ((intmax_t)123456789012ll), OPQ((intmax_t)-123456789012ll));
    T("4096 -8 100", "%zu %zd %td", OPQ((size_t)4096), OPQ((ssize_t)-8), OPQ((ptrdiff_t)100));
    T("+0 +1 -1", "%+d %+d %+d", zero, OPQ(1), OPQ(-1));
    T("x|    x|x    |%", "%c|%5c|%-5c|%%", 'x', 'x', 'x');
    T("hello|     hello|hello     |hel|  hel|", "%s|%10s|%-10s|%.3s|%5.3s|", "hello", "hello", "hello", "hello", "hello");
    T("(null)|(nil)", "%s|%p", (char *)OPQ((char *)0), (void *)OPQ((void *)0));
    T("|      (nil)|", "|%11p|", (void *)OPQ((void *)0));
    T("0x1000 0xdeadbeef", "%p %p", (void *)OPQ((void *)0x1000), (void *)OPQ((void *)0xdeadbeef));
    T("1 2 3 4 5 6 7 8 9 10 11 12", "%d %d %d %d %d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    T("a 1 b 2 c 3", "%s %lld %s %d %s %llu", "a", 1ll, "b", 2, "c", 3ull);
    T("mixed 1 0x2 03 4 5 6", "mixed %hhd %#hx %#lo %zu %jd %lld", (signed char)1, (unsigned short)2, 3ul, (size_t)4, (intmax_t)5, 6ll);

    /* truncation */
    char small[8];
    int n = snprintf(small, sizeof small, "%s", "abcdefghijkl");
    printf("trunc: [%s] %d\n", small, n);
    CHECK(strcmp(small, "abcdefg") == 0 && n == 12);
    n = snprintf(small, 1, "%d", 12345);
    printf("size1: [%s] %d\n", small, n);
    CHECK(small[0] == 0 && n == 5);
    n = snprintf(0, 0, "%d-%d", 123, 4567);
    printf("null buffer: %d\n", n);
    CHECK(n == 8);
    n = my_vsn(small, sizeof small, "%05d%s", 7, "xyz");
    printf("vsnprintf: [%s] %d\n", small, n);
    CHECK(strcmp(small, "00007xy") == 0 && n == 8);
    n = sprintf(buf, "%s/%s", "sprintf", "works");
    printf("%s %d\n", buf, n);

    /* a table, the sort of thing people print */
    printf("%-10s|%8s|%10s\n", "name", "count", "hex");
    for (int i = 0; i < 6; i++) {
        uint32_t r = rnd();
        printf("%-10.*s|%8u|%#10x\n", i + 1, "abcdefghij", r % 100000, r);
        mix32(r);
    }

    fprintf(stdout, "fprintf to stdout %d\n", 1);
    putchar('p'); putchar('u'); putchar('t'); putchar('\n');
    puts("puts adds a newline");
    fputs("fputs does not\n", stdout);
    fputc('!', stdout);
    fputc('\n', stdout);
    fwrite("fwrite 12345\n", 1, 13, stdout);
    return conf_done("fmt");
}

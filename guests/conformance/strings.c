/* strings.c - string.h, ctype.h and the strto* family, including edge
 * cases (overlapping memmove, empty strings, overflow with ERANGE). */
#include <ctype.h>
#include <errno.h>
#include "conf.h"

static void show_strtol(const char *s, int base)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, base);
    int e = errno;
    errno = 0;
    unsigned long u = strtoul(s, 0, base);
    int eu = errno;
    errno = 0;
    long long ll = strtoll(s, 0, base);
    int ell = errno;
    errno = 0;
    unsigned long long ull = strtoull(s, 0, base);
    int eull = errno;
    printf("strto*(\"%s\",%d): l=%ld(e%d,+%d) ul=%lu(e%d) ll=%lld(e%d) ull=%llu(e%d)\n",
           s, base, v, e, (int)(end - s), u, eu, ll, ell, ull, eull);
}

int main(void)
{
    char a[64], b[64];
    strcpy(a, "Hello");
    strcat(a, ", ");
    strncat(a, "world!!!", 6);
    printf("%s len=%u\n", a, (unsigned)strlen(a));
    printf("strnlen=%u %u\n", (unsigned)strnlen(a, 5), (unsigned)strnlen(a, 100));
    printf("strchr=%s strrchr=%s strstr=%s\n", strchr(a, 'o'), strrchr(a, 'o'), strstr(a, "wor"));
    printf("strchr nul=%d missing=%d strstr empty=%d missing=%d\n", strchr(a, 0) == a + strlen(a),
           strchr(a, 'z') == 0, strstr(a, "") == a, strstr(a, "xyz") == 0);
    printf("cmp: %d %d %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("abd", "abc") > 0,
           strcmp("abc", "abc"), strncmp("abcx", "abcy", 3), strcmp("a\xff", "a\x01") > 0);
    printf("memcmp: %d %d\n", memcmp("ab\x80", "ab\x7f", 3) > 0, memcmp("same", "same", 4));

    memset(b, 'x', sizeof b);
    strncpy(b, "pad", 8);
    printf("strncpy pad: %d %d %d %c\n", b[3], b[7], b[8] == 'x', b[0]);
    printf("strspn=%u strcspn=%u\n", (unsigned)strspn("aabbcd", "ab"), (unsigned)strcspn("hello, world", " ,"));

    /* memmove with overlap both ways, memcpy/memset at odd alignments */
    char m[32];
    for (int i = 0; i < 32; i++)
        m[i] = (char)('A' + i % 26);
    memmove(m + 3, m, 10);
    memmove(m + 15, m + 17, 10);
    m[31] = 0;
    printf("memmove: %s\n", m);
    char big[300];
    for (int off = 0; off < 4; off++) {
        memset(big, 0, sizeof big);
        memset(big + off, 0xa5, 200 - off);
        memcpy(big + 250 - off, "0123456789", 10);
        uint32_t h = 0;
        for (int i = 0; i < 300; i++)
            h = h * 31 + (unsigned char)big[i];
        printf("memset/memcpy off %d: %08x\n", off, h);
        mix32(h);
    }
    printf("memchr: %d\n", (int)((char *)memchr("abcdef", 'd', 6) - "abcdef"));

    char *d = strdup("duplicate me");
    printf("strdup: %s\n", d);
    free(d);

    /* ctype over all of ASCII */
    uint32_t ch = 0;
    for (int c = -1; c < 256; c++) {
        unsigned bits = (unsigned)(!!isalnum(c)) | (unsigned)!!isalpha(c) << 1 | (unsigned)!!isdigit(c) << 2 |
                        (unsigned)!!isspace(c) << 3 | (unsigned)!!isupper(c) << 4 | (unsigned)!!islower(c) << 5 |
                        (unsigned)!!isxdigit(c) << 6 | (unsigned)!!isprint(c) << 7 | (unsigned)!!ispunct(c) << 8 |
                        (unsigned)!!iscntrl(c) << 9 | (unsigned)!!isgraph(c) << 10;
        ch = ch * 31 + bits + (uint32_t)toupper(c) * 7 + (uint32_t)tolower(c);
    }
    printf("ctype hash: %08x\n", ch);
    mix32(ch);

    show_strtol("12345", 10);
    show_strtol("  -42xyz", 10);
    show_strtol("0x1F", 0);
    show_strtol("0x1F", 16);
    show_strtol("0777", 0);
    show_strtol("z", 36);
    show_strtol("2147483647", 10);
    show_strtol("2147483648", 10);
    show_strtol("-2147483648", 10);
    show_strtol("-2147483649", 10);
    show_strtol("4294967295", 10);
    show_strtol("4294967296", 10);
    show_strtol("9223372036854775807", 10);
    show_strtol("9223372036854775808", 10);
    show_strtol("-9223372036854775809", 10);
    show_strtol("18446744073709551616", 10);
    show_strtol("-1", 10);
    show_strtol("+", 10);
    show_strtol("0x", 16);
    show_strtol("1010", 2);
    printf("atoi=%d atol=%ld atoll=%lld\n", atoi(" -123abc"), atol("99999"), atoll("-1234567890123"));
    printf("abs=%d labs=%ld llabs=%lld\n", abs(-5), labs(-7L), llabs(-1234567890123ll));
    div_t q = div(-17, 5);
    printf("div=%d,%d\n", q.quot, q.rem);
    return conf_done("strings");
}

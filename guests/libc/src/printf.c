/*
 * printf.c - the printf family, integers only.
 *
 * Conversions: d i u x X o c s p %   flags: - 0 + space #
 * width and precision (digits or *), length: hh h l ll z j t (and L, q as ll).
 * 64-bit values are converted with libgcc's __udivdi3/__umoddi3.
 * %p prints like glibc: "(nil)" for NULL, else 0x<hex>. %s of NULL is "(null)".
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include "internal.h"

#define F_MINUS 1
#define F_ZERO  2
#define F_PLUS  4
#define F_SPACE 8
#define F_HASH  16

struct out {
    __emit_fn emit;
    void *ctx;
    size_t count;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (n) {
        o->emit(o->ctx, s, n);
        o->count += n;
    }
}

static void pad(struct out *o, char c, int n)
{
    char chunk[16];
    if (n <= 0)
        return;
    memset(chunk, c, sizeof chunk);
    while (n > 0) {
        int k = n < (int)sizeof chunk ? n : (int)sizeof chunk;
        put(o, chunk, (size_t)k);
        n -= k;
    }
}

/* Digits of v in base, written backwards ending at end; returns start. */
static char *utoa(char *end, unsigned long long v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    if (base == 10) {
        while (v > 0xFFFFFFFFull) {           /* 64-bit path: libgcc */
            *--p = digits[v % 10];
            v /= 10;
        }
        unsigned long w = (unsigned long)v;   /* 32-bit path: divu */
        while (w) {
            *--p = digits[w % 10];
            w /= 10;
        }
    } else {
        unsigned shift = base == 16 ? 4 : 3;
        while (v) {
            *--p = digits[v & (base - 1)];
            v >>= shift;
        }
    }
    return p;
}

static void fmt_int(struct out *o, unsigned long long v, int neg, unsigned base,
                    int upper, int flags, int width, int prec)
{
    char buf[32];
    char *end = buf + sizeof buf;
    char *p = utoa(end, v, base, upper);
    int ndig = (int)(end - p);
    char prefix[3];
    int npre = 0;

    if (prec >= 0)
        flags &= ~F_ZERO;
    else
        prec = 1;
    if (neg)
        prefix[npre++] = '-';
    else if (flags & F_PLUS)
        prefix[npre++] = '+';
    else if (flags & F_SPACE)
        prefix[npre++] = ' ';
    if ((flags & F_HASH) && base == 16 && v != 0) {
        prefix[npre++] = '0';
        prefix[npre++] = upper ? 'X' : 'x';
    }
    if ((flags & F_HASH) && base == 8 && prec <= ndig)
        prec = ndig + 1;      /* the first digit must be a 0 */

    int zeros = prec > ndig ? prec - ndig : 0;
    int len = npre + zeros + ndig;
    int fill = width > len ? width - len : 0;

    if (!(flags & (F_MINUS | F_ZERO)))
        pad(o, ' ', fill);
    put(o, prefix, (size_t)npre);
    if (flags & F_ZERO)
        pad(o, '0', fill);
    pad(o, '0', zeros);
    put(o, p, (size_t)ndig);
    if (flags & F_MINUS)
        pad(o, ' ', fill);
}

static void fmt_str(struct out *o, const char *s, int flags, int width, int prec)
{
    size_t n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
    int fill = width > (int)n ? width - (int)n : 0;
    if (!(flags & F_MINUS))
        pad(o, ' ', fill);
    put(o, s, n);
    if (flags & F_MINUS)
        pad(o, ' ', fill);
}

enum { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_MAX, L_PTRDIFF };

int __vformat(__emit_fn emit, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { emit, ctx, 0 };

    while (*fmt) {
        if (*fmt != '%') {
            const char *q = fmt;
            while (*q && *q != '%')
                q++;
            put(&o, fmt, (size_t)(q - fmt));
            fmt = q;
            continue;
        }
        const char *spec = fmt++;
        int flags = 0, width = 0, prec = -1, len = L_INT;

        for (;; fmt++) {
            if (*fmt == '-') flags |= F_MINUS;
            else if (*fmt == '0') flags |= F_ZERO;
            else if (*fmt == '+') flags |= F_PLUS;
            else if (*fmt == ' ') flags |= F_SPACE;
            else if (*fmt == '#') flags |= F_HASH;
            else break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                flags |= F_MINUS;
                width = width == INT_MIN ? INT_MAX : -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9') {
                if (width < INT_MAX / 10)
                    width = width * 10 + (*fmt - '0');
                fmt++;
            }
        }
        if (*fmt == '.') {
            fmt++;
            if (*fmt == '*') {
                prec = va_arg(ap, int);   /* negative: as if omitted */
                if (prec < 0)
                    prec = -1;
                fmt++;
            } else {
                prec = 0;
                while (*fmt >= '0' && *fmt <= '9') {
                    if (prec < INT_MAX / 10)
                        prec = prec * 10 + (*fmt - '0');
                    fmt++;
                }
            }
        }
        if (flags & F_MINUS)
            flags &= ~F_ZERO;
        if (flags & F_PLUS)
            flags &= ~F_SPACE;

        switch (*fmt) {
        case 'h':
            len = L_SHORT;
            if (fmt[1] == 'h') { len = L_CHAR; fmt++; }
            fmt++;
            break;
        case 'l':
            len = L_LONG;
            if (fmt[1] == 'l') { len = L_LLONG; fmt++; }
            fmt++;
            break;
        case 'L': case 'q': len = L_LLONG; fmt++; break;
        case 'z': len = L_SIZE; fmt++; break;
        case 'j': len = L_MAX; fmt++; break;
        case 't': len = L_PTRDIFF; fmt++; break;
        default: break;
        }

        char c = *fmt;
        if (c == '\0') {               /* truncated spec: print it as is */
            put(&o, spec, (size_t)(fmt - spec));
            break;
        }
        fmt++;

        switch (c) {
        case 'd': case 'i': {
            long long v;
            switch (len) {
            case L_CHAR:  v = (signed char)va_arg(ap, int); break;
            case L_SHORT: v = (short)va_arg(ap, int); break;
            case L_LONG:  v = va_arg(ap, long); break;
            case L_LLONG: v = va_arg(ap, long long); break;
            case L_MAX:   v = va_arg(ap, intmax_t); break;
            case L_SIZE:  v = va_arg(ap, long); break;      /* ssize_t */
            case L_PTRDIFF: v = va_arg(ap, ptrdiff_t); break;
            default:      v = va_arg(ap, int); break;
            }
            unsigned long long u = v < 0 ? 0ull - (unsigned long long)v
                                         : (unsigned long long)v;
            fmt_int(&o, u, v < 0, 10, 0, flags, width, prec);
            break;
        }
        case 'u': case 'x': case 'X': case 'o': {
            unsigned long long v;
            switch (len) {
            case L_CHAR:  v = (unsigned char)va_arg(ap, unsigned); break;
            case L_SHORT: v = (unsigned short)va_arg(ap, unsigned); break;
            case L_LONG:  v = va_arg(ap, unsigned long); break;
            case L_LLONG: v = va_arg(ap, unsigned long long); break;
            case L_MAX:   v = va_arg(ap, uintmax_t); break;
            case L_SIZE:  v = va_arg(ap, size_t); break;
            case L_PTRDIFF: v = (unsigned long)va_arg(ap, ptrdiff_t); break;
            default:      v = va_arg(ap, unsigned); break;
            }
            unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
            fmt_int(&o, v, 0, base, c == 'X', flags & ~(F_PLUS | F_SPACE),
                    width, prec);
            break;
        }
        case 'p': {
            void *p = va_arg(ap, void *);
            if (!p)
                fmt_str(&o, "(nil)", flags, width, -1);
            else
                fmt_int(&o, (uintptr_t)p, 0, 16, 0, flags | F_HASH, width, prec);
            break;
        }
        case 'c': {
            char ch = (char)va_arg(ap, int);
            int fill = width > 1 ? width - 1 : 0;
            if (!(flags & F_MINUS))
                pad(&o, ' ', fill);
            put(&o, &ch, 1);
            if (flags & F_MINUS)
                pad(&o, ' ', fill);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = (prec < 0 || prec >= 6) ? "(null)" : "";
            fmt_str(&o, s, flags, width, prec);
            break;
        }
        case '%':
            put(&o, "%", 1);
            break;
        default:                        /* unknown: print the spec as is */
            put(&o, spec, (size_t)(fmt - spec));
            break;
        }
    }
    return o.count > INT_MAX ? INT_MAX : (int)o.count;
}

/* --- to a FILE --- */

struct file_sink {
    FILE *f;
    unsigned char *tmp;     /* for unbuffered streams: one write per call */
    size_t len, cap;
};

static void file_emit(void *ctx, const char *s, size_t n)
{
    struct file_sink *k = ctx;
    if (!k->tmp) {
        if (n == 1)
            fputc(*s, k->f);
        else
            __fwritex(k->f, (const unsigned char *)s, n);
        return;
    }
    while (n > 0) {
        if (k->len == k->cap) {
            __fwritex(k->f, k->tmp, k->len);
            k->len = 0;
        }
        size_t m = k->cap - k->len;
        if (m > n)
            m = n;
        memcpy(k->tmp + k->len, s, m);
        k->len += m;
        s += m;
        n -= m;
    }
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    unsigned char tmp[256];
    struct file_sink k = { f, 0, 0, 0 };
    if (f->mode == _IONBF) {
        k.tmp = tmp;
        k.cap = sizeof tmp;
    }
    int r = __vformat(file_emit, &k, fmt, ap);
    if (k.tmp && k.len)
        __fwritex(f, k.tmp, k.len);
    return f->err ? -1 : r;
}

int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return r;
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(f, fmt, ap);
    va_end(ap);
    return r;
}

/* --- to memory --- */

struct buf_sink {
    char *buf;
    size_t cap;     /* room for characters, excluding the NUL */
    size_t len;
};

static void buf_emit(void *ctx, const char *s, size_t n)
{
    struct buf_sink *b = ctx;
    if (b->len < b->cap) {
        size_t m = b->cap - b->len;
        if (m > n)
            m = n;
        memcpy(b->buf + b->len, s, m);
    }
    b->len += n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_sink b = { buf, size ? size - 1 : 0, 0 };
    int r = __vformat(buf_emit, &b, fmt, ap);
    if (size)
        buf[b.len < b.cap ? b.len : b.cap] = '\0';
    return r;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
    return vsnprintf(buf, (size_t)INT_MAX, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return r;
}

int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, (size_t)INT_MAX, fmt, ap);
    va_end(ap);
    return r;
}

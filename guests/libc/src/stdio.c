/*
 * stdio.c - FILE for stdin, stdout and stderr.
 *
 * stdout is line buffered (whether or not it is a terminal: we never ask),
 * stderr is unbuffered, and every write to stderr first flushes stdout.
 * So the bytes reach the two descriptors in exactly program order, and the
 * sequence of write(2) calls depends on nothing but the program.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

static unsigned char stdout_buf[BUFSIZ];

static struct __FILE f_stdin  = { 0, _IONBF, 0, 0, 0, 0 };
static struct __FILE f_stdout = { 1, _IOLBF, 0, 0, sizeof stdout_buf, stdout_buf };
static struct __FILE f_stderr = { 2, _IONBF, 0, 0, 0, 0 };

FILE *const stdin = &f_stdin;
FILE *const stdout = &f_stdout;
FILE *const stderr = &f_stderr;

static int write_all(FILE *f, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(f->fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            f->err = 1;
            return EOF;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int flush_buf(FILE *f)
{
    unsigned n = f->len;
    f->len = 0;
    if (n == 0)
        return 0;
    return write_all(f, f->buf, n);
}

int fflush(FILE *f)
{
    if (!f) {
        int r = fflush(stdout);
        if (fflush(stderr))
            r = EOF;
        return r;
    }
    return flush_buf(f);
}

/* The one path by which bytes enter a FILE. */
int __fwritex(FILE *f, const unsigned char *s, size_t n)
{
    if (f != stdout && stdout->len)
        flush_buf(stdout);
    if (f->mode == _IONBF || f->size == 0) {
        if (f->len && flush_buf(f))
            return EOF;
        return write_all(f, s, n);
    }
    while (n > 0) {
        size_t room = f->size - f->len;
        size_t k = n < room ? n : room;
        int saw_nl = 0;
        if (f->mode == _IOLBF) {
            const unsigned char *nl = memchr(s, '\n', k);
            if (nl) {
                k = (size_t)(nl - s) + 1;
                saw_nl = 1;
            }
        }
        memcpy(f->buf + f->len, s, k);
        f->len += (unsigned)k;
        s += k;
        n -= k;
        if (saw_nl || f->len == f->size)
            if (flush_buf(f))
                return EOF;
    }
    return 0;
}

size_t fwrite(const void *ptr, size_t size, size_t nmemb, FILE *f)
{
    size_t total = size * nmemb;
    if (total == 0)
        return 0;
    if (__fwritex(f, ptr, total))
        return 0;
    return nmemb;
}

int fputc(int c, FILE *f)
{
    unsigned char ch = (unsigned char)c;
    if (f->mode != _IONBF && f->len + 1 < f->size && ch != '\n') {
        f->buf[f->len++] = ch;   /* fast path */
        return ch;
    }
    return __fwritex(f, &ch, 1) ? EOF : ch;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
    return __fwritex(f, (const unsigned char *)s, strlen(s)) ? EOF : 0;
}

int puts(const char *s)
{
    size_t n = strlen(s);
    /* one call, so that "s\n" is a single write when stdout is empty */
    if (stdout->mode != _IONBF && stdout->len + n + 1 <= stdout->size) {
        memcpy(stdout->buf + stdout->len, s, n);
        stdout->len += (unsigned)n;
        return __fwritex(stdout, (const unsigned char *)"\n", 1) ? EOF : 0;
    }
    if (__fwritex(stdout, (const unsigned char *)s, n))
        return EOF;
    return __fwritex(stdout, (const unsigned char *)"\n", 1) ? EOF : 0;
}

int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
    if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF)
        return -1;
    flush_buf(f);
    if (buf && size) {
        f->buf = (unsigned char *)buf;
        f->size = (unsigned)size;
    }
    if (mode != _IONBF && f->size == 0)
        return -1;
    f->mode = mode;
    return 0;
}

int ferror(FILE *f)
{
    return f->err;
}

void clearerr(FILE *f)
{
    f->err = 0;
}

int fgetc(FILE *f)
{
    unsigned char c;
    fflush(stdout);   /* a prompt must be visible before we block */
    for (;;) {
        ssize_t r = read(f->fd, &c, 1);
        if (r == 1)
            return c;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            f->err = 1;
        return EOF;
    }
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return fgetc(stdin);
}

void perror(const char *s)
{
    const char *m = strerror(errno);
    if (s && *s)
        fprintf(stderr, "%s: %s\n", s, m);
    else
        fprintf(stderr, "%s\n", m);
}

void __stdio_exit(void)
{
    fflush(stdout);
    fflush(stderr);
}

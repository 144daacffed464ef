/* stdio.h - stdout/stderr/stdin only; no files, no floating point. */
#ifndef _STDIO_H
#define _STDIO_H

#include <stddef.h>
#include <stdarg.h>

#define EOF (-1)
#define BUFSIZ 1024

#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2

typedef struct __FILE FILE;

extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;

#define __printf_like(f, a) __attribute__((format(printf, f, a)))

int printf(const char *fmt, ...) __printf_like(1, 2);
int fprintf(FILE *f, const char *fmt, ...) __printf_like(2, 3);
int sprintf(char *buf, const char *fmt, ...) __printf_like(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf_like(3, 4);
int vprintf(const char *fmt, va_list ap) __printf_like(1, 0);
int vfprintf(FILE *f, const char *fmt, va_list ap) __printf_like(2, 0);
int vsprintf(char *buf, const char *fmt, va_list ap) __printf_like(2, 0);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf_like(3, 0);

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *s, FILE *f);
int puts(const char *s);
size_t fwrite(const void *ptr, size_t size, size_t nmemb, FILE *f);
int fflush(FILE *f);
int setvbuf(FILE *f, char *buf, int mode, size_t size);
int ferror(FILE *f);
void clearerr(FILE *f);

int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);

void perror(const char *s);

#endif

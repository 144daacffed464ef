/* console.c - the UART, kprintf, power-off and panic. */
#include <stdarg.h>
#include "kernel.h"

#define UART_TX      (*(volatile uint32_t *)(DEVICE_VA + 0x000))
#define UART_RX      (*(volatile uint32_t *)(DEVICE_VA + 0x004))
#define UART_STATUS  (*(volatile uint32_t *)(DEVICE_VA + 0x008))
#define SYS_POWEROFF (*(volatile uint32_t *)(DEVICE_VA + 0x108))

void kputc(int c)
{
    UART_TX = (uint8_t)c;
}

void kwrite(const char *s, uint32_t n)
{
    while (n--)
        UART_TX = (uint8_t)*s++;
}

void kputs(const char *s)
{
    while (*s)
        UART_TX = (uint8_t)*s++;
}

int uart_getc(void)
{
    if (!(UART_STATUS & 2))
        return -1;
    return (int)(UART_RX & 0xFF);
}

void power_off(uint32_t status)
{
    SYS_POWEROFF = status;
    for (;;)
        ;
}

/* A small vprintf: %d %u %x %X %s %c %%, flags '0' and '-', width, 'l'. */
static void emit_num(uint32_t v, int neg, unsigned base, int upper, int width, int zero, int left)
{
    char buf[12];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v);
    int len = n + neg;
    if (!left && !zero)
        for (; len < width; width--)
            kputc(' ');
    if (neg)
        kputc('-');
    if (!left && zero)
        for (; len < width; width--)
            kputc('0');
    while (n)
        kputc(buf[--n]);
    if (left)
        for (; len < width; width--)
            kputc(' ');
}

static void kvprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            kputc(*fmt);
            continue;
        }
        int zero = 0, left = 0, width = 0;
        fmt++;
        for (;; fmt++) {
            if (*fmt == '0')
                zero = 1;
            else if (*fmt == '-')
                left = 1;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l')
            fmt++;
        switch (*fmt) {
        case 'd': {
            int v = va_arg(ap, int);
            emit_num(v < 0 ? 0u - (uint32_t)v : (uint32_t)v, v < 0, 10, 0, width, zero, left);
            break;
        }
        case 'u':
            emit_num(va_arg(ap, uint32_t), 0, 10, 0, width, zero, left);
            break;
        case 'x':
        case 'X':
            emit_num(va_arg(ap, uint32_t), 0, 16, *fmt == 'X', width, zero, left);
            break;
        case 'c':
            kputc(va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = (int)strlen(s);
            if (!left)
                for (; len < width; width--)
                    kputc(' ');
            kputs(s);
            if (left)
                for (; len < width; width--)
                    kputc(' ');
            break;
        }
        case '%':
            kputc('%');
            break;
        case 0:
            return;
        default:
            kputc('%');
            kputc(*fmt);
        }
    }
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    return 0;
}

void panic(const char *fmt, ...)
{
    va_list ap;
    kputs("[kernel] panic: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kputs("\n[kernel] power off (status 255)\n");
    power_off(255);
}

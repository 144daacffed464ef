/* console.c - the UART, kprintf, power-off and panic. */
#include <stdarg.h>
#include "kernel.h"

#define UART_TX      (*(volatile uint32_t *)(DEVICE_VA + 0x000))
#define UART_RX      (*(volatile uint32_t *)(DEVICE_VA + 0x004))
#define UART_STATUS  (*(volatile uint32_t *)(DEVICE_VA + 0x008))
#define SYS_POWEROFF (*(volatile uint32_t *)(DEVICE_VA + 0x108))

#ifndef PARAVIRT
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

#define con_byte(c)  kputc(c)
#define con_puts(s)  kputs(s)
#define con_flush()  ((void)0)
#else
/*
 * PV: console output is gathered in the special area's console buffer and handed to the
 * monitor in one call (MC_CONSOLE) instead of trapping on every UART store. Natively the
 * same code stores each byte to UART_TX (con_step = 0) and the call is a nop, so both
 * retire the same instructions. Every public function flushes before it returns.
 */
static volatile uint8_t *con_base, *con_port;
static uint32_t con_step, con_count;

void con_init(void)
{
    uint32_t m = (uint32_t)-(int32_t)pv_present;
    con_base = (volatile uint8_t *)(uintptr_t)(((uint32_t)(uintptr_t)&pv_area[PV_CONSOLE] & m) | (DEVICE_VA & ~m));
    con_port = con_base;
    con_step = m & 1;
}

static void con_flush(void)
{
    pv_call(MC_CONSOLE, con_count);
    con_port = con_base;
    con_count = 0;
}

static void con_byte(int c)
{
    *con_port = (uint8_t)c;
    con_port += con_step;
    if (++con_count == PV_CONSOLE_BYTES)
        con_flush();
}

static void con_puts(const char *s)
{
    while (*s)
        con_byte(*s++);
}

void kputc(int c)
{
    con_byte(c);
    con_flush();
}

void kwrite(const char *s, uint32_t n)
{
    while (n--)
        con_byte(*s++);
    con_flush();
}

void kputs(const char *s)
{
    con_puts(s);
    con_flush();
}
#endif

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
            con_byte(' ');
    if (neg)
        con_byte('-');
    if (!left && zero)
        for (; len < width; width--)
            con_byte('0');
    while (n)
        con_byte(buf[--n]);
    if (left)
        for (; len < width; width--)
            con_byte(' ');
}

static void kvprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            con_byte(*fmt);
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
            con_byte(va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = (int)strlen(s);
            if (!left)
                for (; len < width; width--)
                    con_byte(' ');
            con_puts(s);
            if (left)
                for (; len < width; width--)
                    con_byte(' ');
            break;
        }
        case '%':
            con_byte('%');
            break;
        case 0:
            return;
        default:
            con_byte('%');
            con_byte(*fmt);
        }
    }
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    con_flush();
    return 0;
}

void panic(const char *fmt, ...)
{
    va_list ap;
    kputs("[kernel] panic: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    con_flush();
    kputs("\n[kernel] power off (status 255)\n");
    power_off(255);
}

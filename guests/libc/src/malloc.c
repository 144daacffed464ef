/*
 * malloc.c - a small first-fit allocator on top of brk.
 *
 * Every block has an 8-byte header (its total size, low bit = in use) and
 * an 8-aligned payload. Free blocks form one address-ordered list, so
 * free() can coalesce with both neighbours. The heap grows with sbrk in
 * steps of at least 64 KB; a new region that touches the last free block
 * is merged with it. Memory is never returned to the system.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALIGN      8u
#define HDR        8u
#define MIN_BLOCK  16u
#define GROW       (64u * 1024u)
#define USED       1u

struct block {
    size_t size;              /* whole block, header included; bit 0: used */
    size_t pad;
    struct block *next;       /* free blocks only (lives in the payload) */
};

static struct block *free_list;
static size_t bsize(const struct block *b) { return b->size & ~(size_t)USED; }

static void insert_free(struct block *b)
{
    struct block **pp = &free_list, *prev = 0;
    while (*pp && *pp < b) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    b->next = *pp;
    *pp = b;
    if (b->next && (char *)b + bsize(b) == (char *)b->next) {
        b->size += bsize(b->next);
        b->next = b->next->next;
    }
    if (prev && (char *)prev + bsize(prev) == (char *)b) {
        prev->size += bsize(b);
        prev->next = b->next;
    }
}

static int grow(size_t need)
{
    size_t amount = need < GROW ? GROW : (need + 4095u) & ~4095u;
    char *p = sbrk(0);
    if (p == (char *)-1)
        return -1;
    uintptr_t mis = (uintptr_t)p & (ALIGN - 1);
    size_t fix = mis ? ALIGN - mis : 0;
    if (sbrk((intptr_t)(amount + fix)) == (void *)-1)
        return -1;
    struct block *b = (struct block *)(p + fix);
    b->size = amount;
    insert_free(b);
    return 0;
}

void *malloc(size_t n)
{
    if (n > SIZE_MAX / 2) {
        errno = ENOMEM;
        return 0;
    }
    size_t need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < MIN_BLOCK)
        need = MIN_BLOCK;
    for (int tries = 0; tries < 2; tries++) {
        struct block **pp = &free_list;
        for (struct block *b = free_list; b; pp = &b->next, b = b->next) {
            size_t sz = bsize(b);
            if (sz < need)
                continue;
            if (sz - need >= MIN_BLOCK) {
                struct block *rest = (struct block *)((char *)b + need);
                rest->size = sz - need;
                rest->next = b->next;
                *pp = rest;
                b->size = need;
            } else {
                *pp = b->next;
            }
            b->size |= USED;
            return (char *)b + HDR;
        }
        if (grow(need))
            break;
    }
    errno = ENOMEM;
    return 0;
}

void free(void *p)
{
    if (!p)
        return;
    struct block *b = (struct block *)((char *)p - HDR);
    if (!(b->size & USED))
        abort();              /* double free */
    b->size &= ~(size_t)USED;
    insert_free(b);
}

void *calloc(size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size) {
        errno = ENOMEM;
        return 0;
    }
    size_t n = nmemb * size;
    void *p = malloc(n);
    if (p)
        memset(p, 0, n);
    return p;
}

void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    if (n == 0) {
        free(p);
        return 0;
    }
    struct block *b = (struct block *)((char *)p - HDR);
    size_t have = bsize(b) - HDR;
    if (n <= have)
        return p;
    void *q = malloc(n);
    if (q) {
        memcpy(q, p, have);
        free(p);
    }
    return q;
}

/*
 * mm.c - physical memory: 4 KB pages and 16 KB page tables.
 *
 * Free RAM is [free_start, mem_size) from boot_info. Single pages come from
 * the bottom (a free list, then a bump pointer); page tables, which must be
 * physically contiguous because the refill handler indexes them linearly
 * through the ksseg window, come from the top and are never split again:
 * a freed table goes to its own pool, already zero. The two ends meet in the
 * middle, so neither kind fragments the other. Everything is a deterministic
 * function of the allocation sequence.
 */
#include "kernel.h"

static uint32_t bump_lo, bump_hi;     /* unused RAM is [bump_lo, bump_hi) */
static uint32_t free_list;            /* PA of the first free page, 0 = none */
static uint32_t nfree_listed;
static uint32_t total_pages, used_pages, peak_pages;
static uint32_t *pt_pool[NPROC];
static unsigned npt_pool;

#ifndef PARAVIRT
#define NEXT_FREE(pa)  (*(uint32_t *)KSEG(pa))

void mm_init(uint32_t free_start, uint32_t mem_size)
{
    bump_lo = PAGE_ROUND_UP(free_start);
    bump_hi = PAGE_ROUND_DOWN(mem_size);
    total_pages = (bump_hi - bump_lo) >> PAGE_SHIFT;
}

static void zero_page(uint32_t pa)
{
    uint32_t *p = KSEG(pa);
    for (unsigned i = 0; i < PAGE_SIZE / 4; i += 8) {
        p[i] = 0; p[i + 1] = 0; p[i + 2] = 0; p[i + 3] = 0;
        p[i + 4] = 0; p[i + 5] = 0; p[i + 6] = 0; p[i + 7] = 0;
    }
}
#else
/*
 * PV: the free list is linked through a side table, one word per page of RAM, carved from
 * the top of free RAM, not through the free pages themselves: a freed page's contents are
 * dead, so the monitor may take its machine page back (MC_FREE_PAGE). A page handed out is
 * zeroed by the monitor (MC_ZERO_PAGE: under sharing it becomes the shared zero page until
 * written). Natively the same loop zeroes the page itself; under the monitor it stores to a
 * scratch line instead (zero_step = 0), so the two retire the same instructions.
 */
static uint32_t *free_next;
static uint32_t zero_sink[8];
#define NEXT_FREE(pa)  (free_next[(pa) >> PAGE_SHIFT])

void mm_init(uint32_t free_start, uint32_t mem_size)
{
    bump_lo = PAGE_ROUND_UP(free_start);
    bump_hi = PAGE_ROUND_DOWN(mem_size);
    bump_hi -= PAGE_ROUND_UP((mem_size >> PAGE_SHIFT) * 4);
    free_next = KSEG(bump_hi);
    total_pages = (bump_hi - bump_lo) >> PAGE_SHIFT;
}

static void zero_page(uint32_t pa)
{
    uint32_t m = (uint32_t)-(int32_t)pv_present;
    uint32_t *p = (uint32_t *)(uintptr_t)(((uint32_t)(uintptr_t)KSEG(pa) & ~m) | ((uint32_t)(uintptr_t)zero_sink & m));
    uint32_t step = 8 & ~m;
    for (unsigned i = 0; i < PAGE_SIZE / 4; i += 8) {
        p[0] = 0; p[1] = 0; p[2] = 0; p[3] = 0;
        p[4] = 0; p[5] = 0; p[6] = 0; p[7] = 0;
        p += step;
    }
    pv_call(MC_ZERO_PAGE, pa);
}
#endif

static void account(int pages)
{
    used_pages += (uint32_t)pages;
    if (used_pages > peak_pages)
        peak_pages = used_pages;
}

uint32_t page_alloc(void)
{
    uint32_t pa;
    if (free_list) {
        pa = free_list;
        free_list = NEXT_FREE(pa);
        nfree_listed--;
    } else if (bump_lo < bump_hi) {
        pa = bump_lo;
        bump_lo += PAGE_SIZE;
    } else {
        return 0;
    }
    zero_page(pa);
    account(1);
    return pa;
}

void page_free(uint32_t pa)
{
    NEXT_FREE(pa) = free_list;
    free_list = pa;
    nfree_listed++;
    used_pages--;
#ifdef PARAVIRT
    pv_call(MC_FREE_PAGE, pa);
#endif
}

uint32_t *pt_alloc(void)
{
    if (npt_pool)
        return pt_pool[--npt_pool];
    if (bump_hi - bump_lo < PT_BYTES)
        return 0;
    bump_hi -= PT_BYTES;
    for (uint32_t pa = bump_hi; pa < bump_hi + PT_BYTES; pa += PAGE_SIZE)
        zero_page(pa);
    account(PT_BYTES / PAGE_SIZE);
    return KSEG(bump_hi);
}

void pt_free(uint32_t *pt)
{
    pt_pool[npt_pool++] = pt;    /* at most NPROC tables ever exist */
}

uint32_t mm_free_pages(void)
{
    return ((bump_hi - bump_lo) >> PAGE_SHIFT) + nfree_listed;
}

uint32_t mm_total_pages(void) { return total_pages; }
uint32_t mm_peak_pages(void) { return peak_pages; }

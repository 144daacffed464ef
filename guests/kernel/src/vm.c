/*
 * vm.c - a process's address space: its linear page table and regions.
 *
 * A PTE is exactly the EntryLo value the refill handler loads (PFN, C, D, V;
 * G is never set for user pages); 0 means "not present". The regions decide
 * what a missing page means: inside data/bss, heap or stack it is allocated
 * zeroed on first touch (demand-zero), anywhere else the access is a fault.
 * The kernel reads and writes user memory by walking this table and using the
 * ksseg window, never through kuseg addresses, so it takes no TLB exceptions
 * itself.
 */
#include "kernel.h"

uint32_t *pte_of(struct proc *p, uint32_t va)
{
    if (va >= USER_TOP)
        return 0;
    return &p->pgtab[va >> PAGE_SHIFT];
}

int va_demand_ok(struct proc *p, uint32_t va)
{
    return (va >= p->data_lo && va < p->data_hi)
        || (va >= p->heap_lo && va < PAGE_ROUND_UP(p->brk))
        || (va >= p->stack_lo && va < USER_TOP);
}

int demand_zero(struct proc *p, uint32_t va)
{
    uint32_t *pte = pte_of(p, va);
    if (!pte || !va_demand_ok(p, va))
        return -EFAULT;
    if (*pte & PTE_V)
        return 0;
    uint32_t pa = page_alloc();
    if (!pa)
        return -ENOMEM;
    *pte = (pa >> PAGE_SHIFT) << PTE_PFN_SHIFT | PTE_CACHED | PTE_D | PTE_V;
    p->npages++;
    p->nfaults++;
    kstats.demand_zero++;
    return 0;
}

void *user_page(struct proc *p, uint32_t va, int write)
{
    uint32_t *pte = pte_of(p, va);
    if (!pte)
        return 0;
    if (!(*pte & PTE_V) && demand_zero(p, va) < 0)
        return 0;
    if (write && !(*pte & PTE_D))
        return 0;
    uint32_t pa = ((*pte >> PTE_PFN_SHIFT) << PAGE_SHIFT) | (va & (PAGE_SIZE - 1));
    return KSEG(pa);
}

int copy_from_user(struct proc *p, void *dst, uint32_t src, uint32_t n)
{
    uint8_t *d = dst;
    while (n) {
        uint8_t *s = user_page(p, src, 0);
        if (!s)
            return -EFAULT;
        uint32_t chunk = PAGE_SIZE - (src & (PAGE_SIZE - 1));
        if (chunk > n)
            chunk = n;
        memcpy(d, s, chunk);
        d += chunk;
        src += chunk;
        n -= chunk;
    }
    return 0;
}

int copy_to_user(struct proc *p, uint32_t dst, const void *src, uint32_t n)
{
    const uint8_t *s = src;
    while (n) {
        uint8_t *d = user_page(p, dst, 1);
        if (!d)
            return -EFAULT;
        uint32_t chunk = PAGE_SIZE - (dst & (PAGE_SIZE - 1));
        if (chunk > n)
            chunk = n;
        memcpy(d, s, chunk);
        s += chunk;
        dst += chunk;
        n -= chunk;
    }
    return 0;
}

/* A NUL-terminated string of at most n - 1 bytes: its length, or -errno. */
int strncpy_from_user(struct proc *p, char *dst, uint32_t src, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const char *s = user_page(p, src + i, 0);
        if (!s)
            return -EFAULT;
        dst[i] = *s;
        if (!*s)
            return (int)i;
    }
    return -E2BIG;
}


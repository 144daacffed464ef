/*
 * pv.c - the paravirtual build's boot-time half (docs/HYPERCALLS.md): find the monitor,
 * patch every paravirtual site, hand the monitor the special page. Built only with
 * PARAVIRT=1 (Makefile); the sites themselves are in vectors.S, mips.h, console.c, mm.c.
 */
#include "kernel.h"

struct pv_site {
    uint32_t *site;            /* the native instructions, in the kernel's text */
    const uint32_t *alt;       /* the monitor's alternative, in .pv_alt */
    uint32_t words;
};

extern const struct pv_site __pv_sites_start[], __pv_sites_end[];

/* The special page and the console buffer after it; page aligned, in bss. */
uint8_t pv_area[PV_AREA_BYTES] __attribute__((aligned(PAGE_SIZE)));
uint32_t pv_present;

#define SYS_MONITOR (*(volatile uint32_t *)(DEVICE_VA + SYS_MONITOR_OFFSET))

/*
 * Branch-free on purpose: natively and under the monitor this runs the same instructions
 * (natively it writes every native word back over itself), so the two retire the same count.
 */
void pv_init(void)
{
    uint32_t id = SYS_MONITOR;
    uint32_t m = (uint32_t)-(int32_t)(id == PV_MONITOR_MAGIC);     /* all ones under the monitor */
    pv_present = m & 1;
    for (const struct pv_site *s = __pv_sites_start; s < __pv_sites_end; s++) {
        uint32_t from = ((uint32_t)(uintptr_t)s->alt & m) | ((uint32_t)(uintptr_t)s->site & ~m);
        for (uint32_t i = 0; i < s->words; i++)
            s->site[i] = ((const uint32_t *)(uintptr_t)from)[i];
    }
    /* No instruction cache to flush: the simulated CPU fetches from memory. A real MIPS
     * would need SYNCI over the patched lines here. */
    pv_call(MC_REGISTER, PADDR(pv_area));
}

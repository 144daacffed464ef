/*
 * tlb.c - the TLB beyond the wired entries the loader installed.
 *
 * Entries [0, Wired) belong to the boot contract (device page, ksseg window)
 * and are never touched. User entries are tagged with the owning process's
 * ASID; when the 255 user ASIDs of a generation are used up, every non-wired
 * entry is overwritten with an invalid one at a unique kseg0 VPN2 (kseg0 is
 * unmapped, so such an entry can never match) and a new generation starts.
 */
#include "kernel.h"

uint32_t tlb_size, tlb_wired;

#define KSEG0_UNIQUE(i) (0x80000000u + ((uint32_t)(i) << 13))

void tlb_flush_user(void)
{
    write_c0_entrylo0(0);
    write_c0_entrylo1(0);
    write_c0_pagemask(0);
    for (uint32_t i = tlb_wired; i < tlb_size; i++) {
        write_c0_entryhi(KSEG0_UNIQUE(i));
        write_c0_index(i);
        tlb_write_indexed();
    }
}

void tlb_init(void)
{
    tlb_size = ((read_c0_config1() >> 25) & 63) + 1;
    tlb_wired = read_c0_wired();
    tlb_flush_user();
    write_c0_entryhi(0);
}

/*
 * A PTE pair changed under a possibly cached TLB entry: rewrite that entry if
 * the TLB holds it (tlbp + tlbwi). If it does not, the refill handler will
 * load the new pair when the process next touches the page.
 */
void tlb_update(uint32_t va, uint32_t asid, const uint32_t *pte_pair)
{
    write_c0_entryhi((va & ~0x1FFFu) | asid);
    tlb_probe();
    uint32_t index = read_c0_index();
    if (index & 0x80000000u)
        return;
    write_c0_entrylo0(pte_pair[0]);
    write_c0_entrylo1(pte_pair[1]);
    tlb_write_indexed();
}

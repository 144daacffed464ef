/*
 * mips.h - CP0 registers, fields and the privileged instructions the kernel
 * uses, for C and assembly. Everything here is an operation that traps and is
 * emulated when the kernel runs under the monitor.
 */
#ifndef KERNEL_MIPS_H
#define KERNEL_MIPS_H

/* CP0 register numbers (select 0 unless noted). */
#define C0_INDEX     0
#define C0_RANDOM    1
#define C0_ENTRYLO0  2
#define C0_ENTRYLO1  3
#define C0_CONTEXT   4
#define C0_PAGEMASK  5
#define C0_WIRED     6
#define C0_BADVADDR  8
#define C0_COUNT     9
#define C0_ENTRYHI   10
#define C0_COMPARE   11
#define C0_STATUS    12
#define C0_CAUSE     13
#define C0_EPC       14
#define C0_PRID      15      /* select 0 */
#define C0_EBASE     15      /* select 1 */
#define C0_CONFIG    16      /* select 0; Config1 is select 1 */

/* Status */
#define ST_IE        0x00000001
#define ST_EXL       0x00000002
#define ST_ERL       0x00000004
#define ST_KSU       0x00000018
#define ST_KSU_USER  0x00000010
#define ST_IM7       0x00008000
#define ST_IM_MASK   0x0000FF00
#define ST_BEV       0x00400000

/* Cause */
#define CAUSE_BD       0x80000000
#define CAUSE_TI       0x40000000
#define CAUSE_CE_SHIFT 28
#define CAUSE_IV       0x00800000
#define CAUSE_IP7      0x00008000
#define CAUSE_EXC_SHIFT 2
#define CAUSE_EXC_MASK 0x0000007C

/* Cause.ExcCode */
#define EXC_INT   0
#define EXC_MOD   1
#define EXC_TLBL  2
#define EXC_TLBS  3
#define EXC_ADEL  4
#define EXC_ADES  5
#define EXC_IBE   6
#define EXC_DBE   7
#define EXC_SYS   8
#define EXC_BP    9
#define EXC_RI    10
#define EXC_CPU   11
#define EXC_OV    12
#define EXC_TR    13

/* EntryLo */
#define PTE_G        0x00000001
#define PTE_V        0x00000002
#define PTE_D        0x00000004
#define PTE_CACHED   (3 << 3)
#define PTE_PFN_SHIFT 6

/* EBase write gate (bit 11): lets a write set bits 31:30. */
#define EBASE_WG     0x00000800

#ifndef __ASSEMBLER__
#include <stdint.h>

#define mfc0(reg, sel) ({ uint32_t __v; \
    __asm__ __volatile__("mfc0 %0, $" #reg ", " #sel : "=r"(__v)); __v; })
#define mtc0(reg, sel, val) \
    __asm__ __volatile__("mtc0 %z0, $" #reg ", " #sel "\n\tehb" \
                         : : "Jr"((uint32_t)(val)) : "memory")

/* Register numbers spelled as literals for the stringizing macros. */
#define read_c0_index()      mfc0(0, 0)
#define read_c0_context()    mfc0(4, 0)
#define read_c0_wired()      mfc0(6, 0)
#define read_c0_badvaddr()   mfc0(8, 0)
#define read_c0_count()      mfc0(9, 0)
#define read_c0_entryhi()    mfc0(10, 0)
#define read_c0_compare()    mfc0(11, 0)
#define read_c0_status()     mfc0(12, 0)
#define read_c0_cause()      mfc0(13, 0)
#define read_c0_epc()        mfc0(14, 0)
#define read_c0_prid()       mfc0(15, 0)
#define read_c0_ebase()      mfc0(15, 1)
#define read_c0_config1()    mfc0(16, 1)

#define write_c0_index(v)    mtc0(0, 0, v)
#define write_c0_entrylo0(v) mtc0(2, 0, v)
#define write_c0_entrylo1(v) mtc0(3, 0, v)
#define write_c0_context(v)  mtc0(4, 0, v)
#define write_c0_pagemask(v) mtc0(5, 0, v)
#define write_c0_entryhi(v)  mtc0(10, 0, v)
#define write_c0_compare(v)  mtc0(11, 0, v)
#define write_c0_status(v)   mtc0(12, 0, v)
#define write_c0_cause(v)    mtc0(13, 0, v)
#define write_c0_ebase(v)    mtc0(15, 1, v)

#ifdef PARAVIRT
/* PV: the registers the hot paths use go through the special page (pv.h, docs/HYPERCALLS.md).
 * Count stays MFC0 (it changes every instruction), Compare/Status/Cause writes stay MTC0
 * (they can raise or clear an interrupt at once), boot-time registers are not worth it. */
#include "pv.h"
#undef read_c0_index
#undef read_c0_context
#undef read_c0_badvaddr
#undef read_c0_entryhi
#undef read_c0_compare
#undef read_c0_status
#undef read_c0_cause
#undef read_c0_epc
#undef write_c0_index
#undef write_c0_entrylo0
#undef write_c0_entrylo1
#undef write_c0_entryhi
#define read_c0_index()      pv_mfc0(0, PV_INDEX)
#define read_c0_context()    pv_mfc0(4, PV_CONTEXT)
#define read_c0_badvaddr()   pv_mfc0(8, PV_BADVADDR)
#define read_c0_entryhi()    pv_mfc0(10, PV_ENTRYHI)
#define read_c0_compare()    pv_mfc0(11, PV_COMPARE)
#define read_c0_status()     pv_mfc0(12, PV_STATUS)
#define read_c0_cause()      pv_mfc0(13, PV_CAUSE)
#define read_c0_epc()        pv_mfc0(14, PV_EPC)
#define write_c0_index(v)    pv_mtc0(0, PV_INDEX, v)
#define write_c0_entrylo0(v) pv_mtc0(2, PV_ENTRYLO0, v)
#define write_c0_entrylo1(v) pv_mtc0(3, PV_ENTRYLO1, v)
#define write_c0_entryhi(v)  pv_mtc0(10, PV_ENTRYHI, v)
#endif

static inline void tlb_probe(void)  { __asm__ __volatile__("tlbp\n\tehb" ::: "memory"); }
static inline void tlb_write_indexed(void) { __asm__ __volatile__("tlbwi\n\tehb" ::: "memory"); }
static inline void tlb_write_random(void)  { __asm__ __volatile__("tlbwr\n\tehb" ::: "memory"); }
#endif

#endif

/*
 * pv.h - the paravirtual build (make PARAVIRT=1): how the kernel talks to a Disco-style
 * monitor, as Disco's changed IRIX HAL did. The ABI is docs/HYPERCALLS.md; this file is
 * its C and assembly spelling, for both.
 *
 * Every change to the kernel is a "paravirtual site": the native instructions stay in place
 * and an alternative of exactly the same length goes to .pv_alt, listed in .pv_sites. At
 * boot, pv_init() asks the device page whether a monitor is there (SYS_MONITOR reads 0 on
 * the bare board) and copies, for every site, either the alternative or the native words
 * over the site; both ways run the same instructions, so the kernel retires the same
 * number of instructions natively and under the monitor and its clock (Count) agrees.
 * Natively the sites keep their privileged instructions: that is the native fallback.
 */
#ifndef KERNEL_PV_H
#define KERNEL_PV_H

/* The device page register a monitor answers: 0 on the bare board. */
#define SYS_MONITOR_OFFSET  0x10C
#define PV_MONITOR_MAGIC    0x314D5641      /* "AVM1": this ABI, version 1 */

/* The special page: the virtual CP0 registers the hot paths use, one word per select-0
 * register at 4 * its number, kept coherent by the monitor on every trap entry (what the
 * kernel stored is taken in) and exit (the virtual CP0 is written out). The second page of
 * the area is the console buffer. */
#define PV_AREA_BYTES       8192
#define PV_REG(n)           ((n) * 4)
#define PV_INDEX            PV_REG(0)
#define PV_ENTRYLO0         PV_REG(2)
#define PV_ENTRYLO1         PV_REG(3)
#define PV_CONTEXT          PV_REG(4)
#define PV_BADVADDR         PV_REG(8)
#define PV_ENTRYHI          PV_REG(10)
#define PV_COMPARE          PV_REG(11)
#define PV_STATUS           PV_REG(12)
#define PV_CAUSE            PV_REG(13)
#define PV_EPC              PV_REG(14)
#define PV_CONSOLE          4096             /* the console buffer: the area's second page */
#define PV_CONSOLE_BYTES    4096

/* Monitor calls: `syscall (MC_BASE + n)` in kernel mode; arguments in a0 (and k0/k1 for
 * the refill), a result in v0. The kernel executes one only after pv_init() found a monitor. */
#define MC_BASE             0xD1500
#define MC_REGISTER         (MC_BASE + 1)   /* a0 = physical address of the 8 KB area */
#define MC_CONSOLE          (MC_BASE + 2)   /* a0 = bytes in the console buffer to print */
#define MC_ZERO_PAGE        (MC_BASE + 3)   /* a0 = physical page that must read as zeros */
#define MC_FREE_PAGE        (MC_BASE + 4)   /* a0 = physical page whose contents are dead */
#define MC_REFILL_RETURN    (MC_BASE + 5)   /* EntryLo0 = k0, EntryLo1 = k1, TLBWR, ERET */

/*
 * A paravirtual site in assembly: PV_SITE(n) <native instructions> PV_ALT <alternative>
 * PV_END. The lengths must agree (the assembler checks).
 */
#ifdef __ASSEMBLER__
    .macro PV_SITE
7701:
    .endm
    .macro PV_ALT
7702:
    .pushsection .pv_alt, "a"
7703:
    .endm
    .macro PV_END
7704:
    .popsection
    .pushsection .pv_sites, "a"
    .word 7701b, 7703b, (7702b - 7701b) / 4
    .popsection
    .if (7702b - 7701b) - (7704b - 7703b)
    .error "a paravirtual site and its alternative differ in length"
    .endif
    .endm
#else
#include <stdint.h>

/* The same, inside a C asm statement: PV_C_SITE "native" PV_C_ALT "alternative" PV_C_END. */
#define PV_C_SITE ".set push\n\t.set noreorder\n\t.set noat\n7701:\n\t"
#define PV_C_ALT  "\n7702:\n\t.pushsection .pv_alt, \"a\"\n7703:\n\t"
#define PV_C_END  "\n7704:\n\t.popsection\n\t.pushsection .pv_sites, \"a\"\n\t" \
                  ".word 7701b, 7703b, (7702b - 7701b) / 4\n\t.popsection\n\t" \
                  ".if (7702b - 7701b) - (7704b - 7703b)\n\t.error \"paravirtual site length\"\n\t.endif\n\t" \
                  ".set pop"

#define PV_STR2(x) #x
#define PV_STR(x)  PV_STR2(x)

extern uint8_t pv_area[PV_AREA_BYTES];
extern uint32_t pv_present;           /* 1 under a monitor that speaks this ABI */

void pv_init(void);

/* Read a CP0 register the special page holds: MFC0 natively, a load from the page under the monitor. */
#define pv_mfc0(reg, off) ({ uint32_t __v; __asm__ __volatile__( \
    PV_C_SITE "mfc0 %0, $" #reg "\n\tnop" \
    PV_C_ALT "lui %0, %%hi(pv_area + " PV_STR(off) ")\n\tlw %0, %%lo(pv_area + " PV_STR(off) ")(%0)" \
    PV_C_END : "=r"(__v) : : "memory"); __v; })

/* Write one (taken in at the next trap, which the kernel always reaches before the write
 * matters: TLBP/TLBW* read EntryHi/EntryLo/Index, ERET reads EPC/Status/EntryHi). */
#define pv_mtc0(reg, off, val) __asm__ __volatile__( \
    PV_C_SITE "mtc0 %z0, $" #reg "\n\tehb" \
    PV_C_ALT "lui $1, %%hi(pv_area + " PV_STR(off) ")\n\tsw %z0, %%lo(pv_area + " PV_STR(off) ")($1)" \
    PV_C_END : : "Jr"((uint32_t)(val)) : "memory")

/* A monitor call with one argument; natively a nop. */
#define pv_call(code, arg) do { \
    register uint32_t __a0 __asm__("a0") = (uint32_t)(arg); \
    __asm__ __volatile__(PV_C_SITE "nop" PV_C_ALT "syscall " PV_STR(code) PV_C_END \
                         : "+r"(__a0) : : "v0", "memory"); } while (0)
#endif

#endif

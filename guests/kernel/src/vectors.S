/*
 * vectors.S - the exception vector page, the boot entry, the return to user
 * mode and the idle loop.
 *
 * The vector page is the first page of the kernel image (VA 0xC0001000). The
 * kernel installs it with mtc0 EBase (write gate set, so bits 31:30 stick)
 * and then clears Status.BEV:
 *   EBase + 0x000  TLB refill (user addresses, EXL = 0): the page-table walk
 *   EBase + 0x180  everything else
 * Cause.IV stays 0, so interrupts also come to +0x180 and the space after
 * +0x200 is ours.
 */
#include "mips.h"
#include "kernel.h"
#ifdef PARAVIRT
#include "pv.h"

/* PV: read a register from the special page (2 words: MFC0 + nop natively). */
    .macro PV_MFC0 rt, reg, off
    PV_SITE
    mfc0    \rt, $\reg
    nop
    PV_ALT
    lui     \rt, %hi(pv_area + \off)
    lw      \rt, %lo(pv_area + \off)(\rt)
    PV_END
    .endm

/* PV: write one to the special page (MTC0 + ehb natively); the alternative uses $at. */
    .macro PV_MTC0 rt, reg, off
    PV_SITE
    mtc0    \rt, $\reg
    ehb
    PV_ALT
    lui     $1, %hi(pv_area + \off)
    sw      \rt, %lo(pv_area + \off)($1)
    PV_END
    .endm
#endif

    .set    noreorder
    .set    noat

/* Save every GPR but $0, k0, k1 into the frame k0 points at. */
    .macro SAVE_GPRS
    sw      $1, 4($k0)
    sw      $2, 8($k0)
    sw      $3, 12($k0)
    sw      $4, 16($k0)
    sw      $5, 20($k0)
    sw      $6, 24($k0)
    sw      $7, 28($k0)
    sw      $8, 32($k0)
    sw      $9, 36($k0)
    sw      $10, 40($k0)
    sw      $11, 44($k0)
    sw      $12, 48($k0)
    sw      $13, 52($k0)
    sw      $14, 56($k0)
    sw      $15, 60($k0)
    sw      $16, 64($k0)
    sw      $17, 68($k0)
    sw      $18, 72($k0)
    sw      $19, 76($k0)
    sw      $20, 80($k0)
    sw      $21, 84($k0)
    sw      $22, 88($k0)
    sw      $23, 92($k0)
    sw      $24, 96($k0)
    sw      $25, 100($k0)
    sw      $28, 112($k0)
    sw      $29, 116($k0)
    sw      $30, 120($k0)
    sw      $31, 124($k0)
    mfhi    $k1
    sw      $k1, FRAME_HI($k0)
    mflo    $k1
    sw      $k1, FRAME_LO($k0)
#ifdef PARAVIRT
    PV_MFC0 $k1, C0_EPC, PV_EPC                 /* PV */
#else
    mfc0    $k1, $C0_EPC
#endif
    sw      $k1, FRAME_EPC($k0)
    .endm

/* Kernel mode proper: clear IE, EXL, ERL and KSU (Status bits 4:0). */
    .macro KERNEL_MODE
#ifdef PARAVIRT
    /* PV: through the special page; $at is free here (saved, or the idle loop's). Clearing
     * EXL and IE takes effect at the next trap; until then EXL masks interrupts just as
     * IE = 0 would, and the kernel takes no TLB exceptions itself. */
    PV_SITE
    mfc0    $k1, $C0_STATUS
    ins     $k1, $0, 0, 5
    mtc0    $k1, $C0_STATUS
    ehb
    PV_ALT
    lui     $1, %hi(pv_area + PV_STATUS)
    lw      $k1, %lo(pv_area + PV_STATUS)($1)
    ins     $k1, $0, 0, 5
    sw      $k1, %lo(pv_area + PV_STATUS)($1)
    PV_END
#else
    mfc0    $k1, $C0_STATUS
    ins     $k1, $0, 0, 5
    mtc0    $k1, $C0_STATUS
    ehb
#endif
    .endm

    .section .text.vectors, "ax", @progbits
    .balign 4096
    .globl  vector_page
vector_page:

/*
 * EBase + 0x000: TLB refill. Context = PTEBase (0) | BadVPN2 << 4, so
 * Context >> 1 is BadVPN2 * 8: the byte offset of the even/odd PTE pair in the
 * current process's linear table of 4-byte PTEs. Addresses past the table
 * get an invalid pair; the retry then takes a TLB invalid exception to
 * +0x180, where the kernel kills the process (or panics if it was itself).
 */
    .globl  tlb_refill
tlb_refill:
#ifdef PARAVIRT
    PV_MFC0 $k0, C0_CONTEXT, PV_CONTEXT         /* PV */
#else
    mfc0    $k0, $C0_CONTEXT
#endif
    srl     $k0, $k0, 1
    sltiu   $k1, $k0, PT_BYTES
    beqz    $k1, 1f
    lui     $k1, %hi(cur_pgtab)
    lw      $k1, %lo(cur_pgtab)($k1)
    addu    $k1, $k1, $k0
    lw      $k0, 0($k1)
    lw      $k1, 4($k1)
#ifdef PARAVIRT
    /* PV: five traps become one monitor call (EntryLo0/1 from k0/k1, TLBWR, ERET). */
    PV_SITE
    mtc0    $k0, $C0_ENTRYLO0
    mtc0    $k1, $C0_ENTRYLO1
    ehb
    tlbwr
    eret
    PV_ALT
    nop
    nop
    nop
    nop
    syscall MC_REFILL_RETURN
    PV_END
1:  PV_SITE
    mtc0    $0, $C0_ENTRYLO0
    mtc0    $0, $C0_ENTRYLO1
    ehb
    tlbwr
    eret
    PV_ALT
    move    $k0, $0
    move    $k1, $0
    nop
    nop
    syscall MC_REFILL_RETURN
    PV_END
#else
    mtc0    $k0, $C0_ENTRYLO0
    mtc0    $k1, $C0_ENTRYLO1
    ehb
    tlbwr
    eret
1:  mtc0    $0, $C0_ENTRYLO0
    mtc0    $0, $C0_ENTRYLO1
    ehb
    tlbwr
    eret
#endif
tlb_refill_end:
    .if     (tlb_refill_end - tlb_refill) > 128
    .error  "the TLB refill handler must fit in 32 instructions"
    .endif

/*
 * EBase + 0x180: general exception. From user mode (Status.KSU = user, which
 * exception entry leaves alone) the registers go straight into the current
 * process's frame and C decides what runs next. From kernel mode the only
 * expected exception is the timer interrupt that ends the idle loop;
 * anything else is a kernel bug: panic.
 */
    .org    0x180
    .globl  general_exception
general_exception:
#ifdef PARAVIRT
    PV_MFC0 $k0, C0_STATUS, PV_STATUS           /* PV */
#else
    mfc0    $k0, $C0_STATUS
#endif
    andi    $k0, $k0, ST_KSU
    beqz    $k0, from_kernel
    lui     $k0, %hi(cur_frame)
    lw      $k0, %lo(cur_frame)($k0)
    SAVE_GPRS
    lui     $sp, %hi(kstack_top)
    addiu   $sp, $sp, %lo(kstack_top)
    KERNEL_MODE
    move    $a0, $k0
#ifdef PARAVIRT
    PV_MFC0 $a1, C0_CAUSE, PV_CAUSE             /* PV */
    PV_MFC0 $a2, C0_BADVADDR, PV_BADVADDR
    jal     trap_user
    nop
#else
    mfc0    $a1, $C0_CAUSE
    jal     trap_user               # returns the frame to resume
    mfc0    $a2, $C0_BADVADDR
#endif
    move    $a0, $v0
    /* fall through */

/*
 * resume_user(frame): back to user mode in whatever process owns the frame
 * (EntryHi.ASID and cur_pgtab were set by the scheduler). EXL = 1 while the
 * registers are restored, so nothing can interrupt; ERET clears it and the
 * process runs with interrupts enabled.
 */
    .globl  resume_user
resume_user:
    move    $k0, $a0
#ifdef PARAVIRT
    /* PV: Status and EPC through the special page ($at is restored from the frame below);
     * the ERET traps, and the monitor takes both in before it performs it. */
    PV_MFC0 $k1, C0_STATUS, PV_STATUS
    ori     $k1, $k1, ST_KSU_USER | ST_EXL | ST_IE
    PV_MTC0 $k1, C0_STATUS, PV_STATUS
    lw      $k1, FRAME_EPC($k0)
    PV_MTC0 $k1, C0_EPC, PV_EPC
#else
    mfc0    $k1, $C0_STATUS
    ori     $k1, $k1, ST_KSU_USER | ST_EXL | ST_IE
    mtc0    $k1, $C0_STATUS
    ehb
    lw      $k1, FRAME_EPC($k0)
    mtc0    $k1, $C0_EPC
#endif
    lw      $k1, FRAME_HI($k0)
    mthi    $k1
    lw      $k1, FRAME_LO($k0)
    mtlo    $k1
    lw      $1, 4($k0)
    lw      $2, 8($k0)
    lw      $3, 12($k0)
    lw      $4, 16($k0)
    lw      $5, 20($k0)
    lw      $6, 24($k0)
    lw      $7, 28($k0)
    lw      $8, 32($k0)
    lw      $9, 36($k0)
    lw      $10, 40($k0)
    lw      $11, 44($k0)
    lw      $12, 48($k0)
    lw      $13, 52($k0)
    lw      $14, 56($k0)
    lw      $15, 60($k0)
    lw      $16, 64($k0)
    lw      $17, 68($k0)
    lw      $18, 72($k0)
    lw      $19, 76($k0)
    lw      $20, 80($k0)
    lw      $21, 84($k0)
    lw      $22, 88($k0)
    lw      $23, 92($k0)
    lw      $24, 96($k0)
    lw      $25, 100($k0)
    lw      $28, 112($k0)
    lw      $29, 116($k0)
    lw      $30, 120($k0)
    lw      $31, 124($k0)
    eret

from_kernel:
    lui     $k0, %hi(idling)
    lw      $k0, %lo(idling)($k0)
#ifdef PARAVIRT
    PV_MFC0 $k1, C0_CAUSE, PV_CAUSE             /* PV: out of the delay slot */
    beqz    $k0, kernel_fault
    andi    $k1, $k1, CAUSE_EXC_MASK
#else
    beqz    $k0, kernel_fault
    mfc0    $k1, $C0_CAUSE
    andi    $k1, $k1, CAUSE_EXC_MASK
#endif
    bnez    $k1, kernel_fault
    nop
    /* The idle loop was interrupted: its stack is dropped, nothing to save. */
    lui     $sp, %hi(kstack_top)
    addiu   $sp, $sp, %lo(kstack_top)
    KERNEL_MODE
#ifdef PARAVIRT
    PV_MFC0 $a0, C0_CAUSE, PV_CAUSE             /* PV */
#else
    mfc0    $a0, $C0_CAUSE
#endif
    jal     idle_interrupt
    nop
    b       resume_user
    move    $a0, $v0

kernel_fault:
    lui     $k0, %hi(panicking)
    lw      $k1, %lo(panicking)($k0)
    bnez    $k1, double_fault
    li      $k1, 1
    sw      $k1, %lo(panicking)($k0)
    lui     $k0, %hi(panic_frame)
    addiu   $k0, $k0, %lo(panic_frame)
    SAVE_GPRS
    lui     $sp, %hi(panic_stack_top)
    addiu   $sp, $sp, %lo(panic_stack_top)
    move    $a0, $k0
    mfc0    $a1, $C0_CAUSE
    jal     kernel_exception        # prints, powers off with 255
    mfc0    $a2, $C0_BADVADDR
double_fault:
    /* A fault while panicking: no console, just power off with 255. */
    lui     $k1, %hi(DEVICE_VA)
    li      $k0, 255
    sw      $k0, 0x108($k1)
1:  b       1b
    nop

/*
 * idle_loop(use_wait): enable interrupts and WAIT (or spin) until the timer
 * interrupt arrives at +0x180 with idling set, which abandons this stack.
 */
    .text
    .globl  idle_loop
    .ent    idle_loop
idle_loop:
    mfc0    $t0, $C0_STATUS
    ori     $t0, $t0, ST_IE
    mtc0    $t0, $C0_STATUS
    ehb
    beqz    $a0, 2f
    nop
1:  wait
    b       1b
    nop
2:  b       2b
    nop
    .end    idle_loop

/*
 * The boot entry (boot contract): a0 = memory size, a1 = ksseg address of
 * boot_info, kernel mode, BEV = 1, interrupts off, bss already zeroed.
 */
    .section .text.boot, "ax", @progbits
    .globl  _start
    .ent    _start
_start:
    lui     $sp, %hi(kstack_top)
    addiu   $sp, $sp, %lo(kstack_top)
    jal     kmain
    addiu   $sp, $sp, -16
1:  b       1b
    nop
    .end    _start

    .bss
    .balign 8
    .globl  kstack, kstack_top, panic_frame, panic_stack_top, panicking
kstack:
    .space  KSTACK_SIZE
kstack_top:
panic_stack:
    .space  PANIC_STACK_SIZE
panic_stack_top:
panic_frame:
    .space  FRAME_SIZE
panicking:
    .space  4

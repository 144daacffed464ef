/*
 * asids: two address spaces that map the same virtual page to different physical
 * pages. TLB entries 20 and 21 map VA 0x00400000 (4 KB pages) to physical 1 MB under
 * ASID 1 and to 1 MB + 4 KB under ASID 2; entries 22 and 23 map VA 0x00800000 (1 MB
 * pages) to physical 1 MB under ASID 1 and 2 MB under ASID 2 (none global). The kernel
 * writes a different word into each physical page through the ksseg window, then loads
 * each VA under ASID 2, 1, 3, 2 and 1. Each ASID must see its own page, and ASID 3,
 * which no entry maps, a TLB refill (ExcCode 2) at EBase+0. Under the monitor the
 * machine TLB is filled from the guest's entries (the 4 KB ones from the TLB write, the
 * 1 MB ones from the L2 TLB on use), so a lookup that matched an entry of another ASID
 * would give one address space another's page, or never make progress. Prints each
 * load's exception code (0xff: none) and value; powers off with 0.
 */
    .set noreorder
    .set noat

#define VA       0x00400000   /* 4 KB pages */
#define VA_LARGE 0x00800000   /* 1 MB pages */
#define PM_1M    0x001FE000

    .section .text.vectors, "ax"
    .align 12
vectors:                        /* EBase+0x000, TLB refill: expected for ASID 3 */
    b     general
    nop
    .org  0x180
general:                        /* EBase+0x180: note the cause, skip the faulting load */
    mfc0  $k0, $13
    srl   $k0, $k0, 2
    andi  $k0, $k0, 0x1F
    lui   $k1, %hi(last_code)
    sw    $k0, %lo(last_code)($k1)
    mfc0  $k0, $14
    addiu $k0, $k0, 4
    mtc0  $k0, $14
    ehb
    eret

    .text
    .globl _start
_start:
    la    $t0, vectors
    ori   $t0, $t0, 0x800       /* EBase.WG: the vectors are in ksseg */
    mtc0  $t0, $15, 1
    mfc0  $t1, $12
    lui   $t2, 0xFFBF
    ori   $t2, $t2, 0xFFFF      /* clear Status.BEV */
    and   $t1, $t1, $t2
    mtc0  $t1, $12
    ehb
    la    $a0, msg_start
    jal   puts
    nop
    /* 4 KB: entry 20: ASID 1 -> PFN 0x100; entry 21: ASID 2 -> PFN 0x101 */
    lui   $s1, VA >> 16
    li    $a0, 20
    li    $a1, 1
    li    $a2, 0x100
    jal   map
    move  $a3, $zero
    li    $a0, 21
    li    $a1, 2
    li    $a2, 0x101
    jal   map
    move  $a3, $zero
    /* 1 MB: entry 22: ASID 1 -> PFN 0x100; entry 23: ASID 2 -> PFN 0x200 */
    lui   $s1, VA_LARGE >> 16
    li    $a3, PM_1M
    li    $a0, 22
    li    $a1, 1
    jal   map
    li    $a2, 0x100
    li    $a0, 23
    li    $a1, 2
    jal   map
    li    $a2, 0x200
    /* a word in each physical page, through the ksseg window */
    li    $t0, 0x11111111
    lui   $t1, 0xC010
    sw    $t0, 0($t1)           /* physical 1 MB */
    li    $t0, 0x22222222
    sw    $t0, 0x1000($t1)      /* physical 1 MB + 4 KB */
    li    $t0, 0x33333333
    lui   $t1, 0xC020
    sw    $t0, 0($t1)           /* physical 2 MB */
    lui   $s1, VA >> 16
    jal   loads
    nop
    lui   $s1, VA_LARGE >> 16
    jal   loads
    nop
    la    $a0, msg_done
    jal   puts
    nop
    lui   $t1, 0xDF00
    sw    $zero, 0x108($t1)
6:  b     6b
    nop

/* map(a0 = index, a1 = ASID, a2 = PFN, a3 = PageMask, s1 = VA): even page valid, dirty, not global */
map:
    sll   $t0, $a2, 6
    ori   $t0, $t0, 0x1E        /* C = 3 | D | V */
    mtc0  $t0, $2
    mtc0  $zero, $3
    mtc0  $a3, $5
    or    $t1, $s1, $a1
    mtc0  $t1, $10
    mtc0  $a0, $0
    ehb
    tlbwi
    ehb
    jr    $ra
    nop

/* loads(s1 = VA): load it under ASID 2, 1, 3, 2, 1 */
loads:
    move  $s7, $ra
    jal   load
    li    $a0, 2
    jal   load
    li    $a0, 1
    jal   load
    li    $a0, 3
    jal   load
    li    $a0, 2
    jal   load
    li    $a0, 1
    jr    $s7
    nop

/* load(a0 = ASID, s1 = VA): load VA under that ASID; prints "VA 0x.. ASID 0x..: exception 0x.. value 0x.." */
load:
    move  $s6, $ra
    move  $s0, $a0
    or    $t1, $s1, $a0
    mtc0  $t1, $10              /* EntryHi: the current ASID */
    ehb
    lui   $t5, %hi(last_code)
    li    $t6, 0xFF
    sw    $t6, %lo(last_code)($t5)
    li    $s5, 0
    lw    $s5, 0($s1)
    la    $a0, msg_va
    jal   puts
    nop
    jal   puthex
    move  $a0, $s1
    la    $a0, msg_asid
    jal   puts
    nop
    move  $a0, $s0
    jal   puthex
    nop
    la    $a0, msg_code
    jal   puts
    nop
    lui   $t5, %hi(last_code)
    lw    $a0, %lo(last_code)($t5)
    jal   puthex
    nop
    la    $a0, msg_value
    jal   puts
    nop
    move  $a0, $s5
    jal   puthex
    nop
    la    $a0, msg_nl
    jal   puts
    nop
    jr    $s6
    nop

    .data
    .align 2
last_code:  .word 0
msg_start:  .asciz "asids: two virtual pages, each in two address spaces\n"
msg_va:     .asciz "VA 0x"
msg_asid:   .asciz " ASID 0x"
msg_code:   .asciz ": exception 0x"
msg_value:  .asciz " value 0x"
msg_nl:     .asciz "\n"
msg_done:   .asciz "asids: done\n"

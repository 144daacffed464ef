/*
 * readonly: stores through TLB entries the kernel wrote with D = 0 must take the TLB
 * Modified exception (ExcCode 1) and leave memory unchanged, however the entry reached
 * the TLB. Under the monitor the machine TLB is filled from the guest's entries, and
 * each case exercises one way it is:
 *   1. a read-only page inside a 16 MB page, loaded, then stored to: the monitor
 *      refills large pages 4 KB at a time, from the L2 TLB, on the load's miss;
 *   2. a 4 KB page written through a writable entry, then remapped read-only: the
 *      machine entry goes in straight from the intercepted TLB write;
 *   3. the same read-only page after a long spin: beside another VM on one physical
 *      CPU the spin crosses a quantum, the physical CPU machine-switches away and back
 *      and flushes the machine TLB, so the load is refilled from the L2 TLB again.
 * Each case loads, stores and loads again back to back (no trap between them under the
 * monitor), then prints each access's exception code (0xff: none) and the loaded values.
 * Powers off with 0 when every store faulted with Mod and memory kept its value, else 1.
 */
    .set noreorder
    .set noat

#define VA        0x00200000    /* 4 KB pages: the even page of the pair (index 20) */
#define VA_LARGE  0x02000000    /* 16 MB pages: the pair maps VA 0x02000000 to physical 0 */
#define PFN_WRIT  0x101         /* physical 1 MB + 4 KB: written, then read-only */
#define SPIN      300000        /* 2 instructions each: 600,000 > a 200,000-cycle quantum */

    .section .text.vectors, "ax"
    .align 12
vectors:
    b     unexpected            /* EBase+0x000, TLB refill: none is expected */
    nop
    .org  0x180
general:                        /* EBase+0x180: note the cause, skip the faulting access */
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

unexpected:
    la    $a0, msg_refill
    jal   puts
    nop
    li    $t0, 3
    lui   $t1, 0xDF00
    sw    $t0, 0x108($t1)
5:  b     5b
    nop

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
    li    $s7, 0                /* failed expectations */
    la    $a0, msg_start
    jal   puts
    nop

    /* 1: physical 1 MB, read-only, through a 16 MB page (even: physical 0, read-only) */
    la    $a0, msg_case1
    jal   puts
    nop
    li    $t0, 0x01FFE000
    mtc0  $t0, $5               /* PageMask: 16 MB */
    li    $t0, 0x1A             /* PFN 0 | C = 3 | V */
    mtc0  $t0, $2
    mtc0  $zero, $3             /* odd page: invalid */
    lui   $t0, VA_LARGE >> 16
    mtc0  $t0, $10
    li    $t0, 20
    mtc0  $t0, $0
    ehb
    tlbwi
    ehb
    lui   $a0, (VA_LARGE + 0x100000) >> 16
    li    $a1, 0x11111111
    jal   load_store_load
    li    $a2, 0                /* expected: fresh RAM */

    /* 2: a written 4 KB page, remapped read-only */
    la    $a0, msg_case2
    jal   puts
    nop
    li    $a0, PFN_WRIT
    jal   map
    li    $a1, 0x06             /* D | V */
    li    $t0, 0xCAFE0001
    lui   $t1, VA >> 16
    sw    $t0, 0($t1)           /* writable: no exception */
    li    $a0, PFN_WRIT
    jal   map
    li    $a1, 0x02             /* V: read-only now */
    lui   $a0, VA >> 16
    li    $a1, 0x22222222
    li    $a2, 0xCAFE0001
    jal   load_store_load
    nop

    /* 3: the same page after a machine switch flushed the machine TLB */
    la    $a0, msg_case3
    jal   puts
    nop
    li    $t0, SPIN
1:  addiu $t0, $t0, -1
    bnez  $t0, 1b
    nop
    lui   $a0, VA >> 16
    li    $a1, 0x33333333
    li    $a2, 0xCAFE0001
    jal   load_store_load
    nop

    la    $a0, msg_done
    jal   puts
    nop
    sltu  $t0, $zero, $s7       /* status 1 if anything went wrong */
    lui   $t1, 0xDF00
    sw    $t0, 0x108($t1)
6:  b     6b
    nop

/* map(a0 = PFN, a1 = EntryLo flags): TLB index 20, 4 KB, VA's even page, odd page invalid, ASID 0 */
map:
    sll   $t0, $a0, 6
    ori   $t0, $t0, 0x18        /* C = 3 */
    or    $t0, $t0, $a1
    mtc0  $t0, $2               /* EntryLo0 */
    mtc0  $zero, $3             /* EntryLo1: invalid */
    mtc0  $zero, $5             /* PageMask: 4 KB */
    lui   $t1, VA >> 16
    mtc0  $t1, $10              /* EntryHi: VA, ASID 0 */
    li    $t2, 20
    mtc0  $t2, $0
    ehb
    tlbwi
    ehb
    jr    $ra
    nop

/*
 * load_store_load(a0 = address, a1 = value to store, a2 = the value expected there):
 * load, store a1, load again, back to back; then print what each did, and count a
 * failure unless both loads returned a2 without an exception and the store took Mod.
 */
load_store_load:
    move  $s4, $ra
    la    $t5, last_code
    li    $t6, 0xFF
    sw    $t6, 0($t5)
    lw    $s0, 0($a0)           /* load */
    lw    $s1, 0($t5)
    sw    $t6, 0($t5)
    sw    $a1, 0($a0)           /* store */
    lw    $s2, 0($t5)
    sw    $t6, 0($t5)
    lw    $s3, 0($a0)           /* load */
    lw    $s5, 0($t5)
    move  $s6, $a2
    bne   $s1, $t6, 1f
    nop
    bne   $s0, $s6, 1f
    nop
    li    $t0, 1                /* ExcCode Mod */
    bne   $s2, $t0, 1f
    nop
    bne   $s5, $t6, 1f
    nop
    beq   $s3, $s6, 2f
    nop
1:  addiu $s7, $s7, 1
2:  la    $a0, msg_load
    move  $a1, $s1
    jal   report
    move  $a2, $s0
    la    $a0, msg_store
    move  $a1, $s2
    jal   report
    move  $a2, $zero
    la    $a0, msg_load
    move  $a1, $s5
    jal   report
    move  $a2, $s3
    jr    $s4
    nop

/* report(a0 = label, a1 = exception code, a2 = value): "<label>0x<a1> value 0x<a2>\n" */
report:
    move  $s6, $ra
    jal   puts
    nop
    jal   puthex
    move  $a0, $a1
    la    $a0, msg_value
    jal   puts
    nop
    jal   puthex
    move  $a0, $a2
    la    $a0, msg_nl
    jal   puts
    nop
    jr    $s6
    nop

    .data
    .align 2
last_code:  .word 0
msg_start:  .asciz "readonly: stores through read-only TLB entries\n"
msg_case1:  .asciz "case 1: a read-only page in a 16 MB page\n"
msg_case2:  .asciz "case 2: a written page remapped read-only\n"
msg_case3:  .asciz "case 3: after a long spin (a machine switch under the monitor)\n"
msg_load:   .asciz "  load: exception 0x"
msg_store:  .asciz "  store: exception 0x"
msg_value:  .asciz " value 0x"
msg_nl:     .asciz "\n"
msg_done:   .asciz "readonly: done\n"
msg_refill: .asciz "readonly: unexpected TLB refill\n"

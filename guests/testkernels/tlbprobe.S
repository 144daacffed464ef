/*
 * tlbprobe: a kernel that tries to reach memory that is not its own. It installs
 * TLB entries mapping a kuseg page to physical pages beyond its RAM and loads
 * through them; each load must end in a bus error (DBE), on the bare board because
 * there is no RAM there, under the monitor because the memory manager refuses the
 * PPN, so that no VM can reach another VM's machine page. It prints each probe's
 * exception code and powers off with status 0 when every probe faulted, 1 if any
 * load returned data.
 */
    .set noreorder
    .set noat

    .section .text.vectors, "ax"
    .align 12
vectors:
    b     unexpected            /* EBase+0x000, TLB refill: none is expected */
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
    srl   $s1, $a0, 12          /* first PPN beyond RAM (a0 = memory size) */
    li    $s2, 0                /* probe number */
    li    $s3, 0                /* loads that returned data */
    la    $a0, msg_start
    jal   puts
    nop
probe:
    sll   $t0, $s2, 6           /* every 256 KB beyond RAM */
    addu  $s4, $t0, $s1         /* the PPN */
    sll   $t1, $s4, 6
    ori   $t1, $t1, 0x1F        /* PFN | C=3 | D | V | G */
    mtc0  $t1, $2               /* EntryLo0 */
    li    $t2, 1
    mtc0  $t2, $3               /* EntryLo1: global, invalid */
    mtc0  $zero, $5             /* PageMask: 4 KB */
    lui   $t3, 0x0010
    mtc0  $t3, $10              /* EntryHi: VA 0x00100000 */
    li    $t4, 20
    mtc0  $t4, $0               /* Index 20 */
    ehb
    tlbwi
    ehb
    lui   $t5, %hi(last_code)
    li    $t6, 0xFF
    sw    $t6, %lo(last_code)($t5)
    lui   $t5, 0x0010
    lw    $t7, 0($t5)           /* must fault */
    lui   $t5, %hi(last_code)
    lw    $s5, %lo(last_code)($t5)
    li    $t6, 0xFF
    bne   $s5, $t6, 1f
    nop
    addiu $s3, $s3, 1           /* the load returned: another page was reached */
1:  la    $a0, msg_probe
    jal   puts
    nop
    move  $a0, $s4
    jal   puthex
    nop
    la    $a0, msg_code
    jal   puts
    nop
    move  $a0, $s5
    jal   puthex
    nop
    la    $a0, msg_nl
    jal   puts
    nop
    addiu $s2, $s2, 1
    slti  $t0, $s2, 8
    bnez  $t0, probe
    nop
    la    $a0, msg_done
    jal   puts
    nop
    sltu  $t0, $zero, $s3       /* status 1 if any load returned data */
    lui   $t1, 0xDF00
    sw    $t0, 0x108($t1)
6:  b     6b
    nop

    .data
    .align 2
last_code:  .word 0
msg_start:  .asciz "tlbprobe: loading through TLB entries for pages beyond RAM\n"
msg_probe:  .asciz "probe PPN 0x"
msg_code:   .asciz ": exception 0x"
msg_nl:     .asciz "\n"
msg_done:   .asciz "tlbprobe: done\n"
msg_refill: .asciz "tlbprobe: unexpected TLB refill\n"

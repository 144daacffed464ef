/*
 * pvcoherence: the special page and the virtual CP0 are one truth (docs/HYPERCALLS.md).
 * Under the monitor it registers a special page, then mixes MFC0/MTC0 with loads and
 * stores to the page: a register MTC0 wrote reads back from the page; a register stored to
 * the page reads back with MFC0; an exception's EPC/Cause/BadVAddr/Status read the same both
 * ways in its handler, and an EPC stored to the page is where its ERET returns; TLBP's Index
 * is in the page; a console call prints the buffer. It prints each check and powers off with
 * the number that failed (0: all agree). On the bare board SYS_MONITOR reads 0: it says so
 * and powers off with 2.
 */
    .set noreorder
    .set noat

#define REG(n)   ((n) * 4)
#define MC(n)    (0xD1500 + (n))

    .section .text.vectors, "ax"
    .align 12
vectors:
    b     unexpected            /* EBase+0x000, TLB refill: none is expected */
    nop
    .org  0x180
general:                        /* EBase+0x180: the BREAK of check 3 */
    la    $k0, area
    la    $t1, seen
    lw    $k1, REG(14)($k0)     /* EPC through the page... */
    mfc0  $t0, $14              /* ...and with MFC0 */
    sw    $k1, 0($t1)
    sw    $t0, 4($t1)
    lw    $k1, REG(13)($k0)     /* Cause */
    mfc0  $t0, $13
    sw    $k1, 8($t1)
    sw    $t0, 12($t1)
    lw    $k1, REG(12)($k0)     /* Status */
    mfc0  $t0, $12
    sw    $k1, 16($t1)
    sw    $t0, 20($t1)
    lw    $k1, REG(14)($k0)     /* skip the BREAK: store EPC + 4 to the page, ERET takes it in */
    addiu $k1, $k1, 4
    sw    $k1, REG(14)($k0)
    eret

unexpected:
    la    $a0, msg_unexpected
    jal   puts
    nop
    li    $t0, 99
    lui   $t1, 0xDF00
    sw    $t0, 0x108($t1)
5:  b     5b
    nop

    .text
    .globl _start
_start:
    lui   $t1, 0xDF00
    lw    $t0, 0x10C($t1)       /* SYS_MONITOR */
    li    $t2, 0x314D5641
    beq   $t0, $t2, 1f
    nop
    la    $a0, msg_native
    jal   puts
    nop
    li    $t0, 2
    lui   $t1, 0xDF00
    sw    $t0, 0x108($t1)
6:  b     6b
    nop
1:  la    $t0, vectors
    ori   $t0, $t0, 0x800       /* EBase.WG: the vectors are in ksseg */
    mtc0  $t0, $15, 1
    mfc0  $t1, $12
    lui   $t2, 0xFFBF
    ori   $t2, $t2, 0xFFFF      /* clear Status.BEV */
    and   $t1, $t1, $t2
    mtc0  $t1, $12
    ehb
    li    $s0, 0                /* checks failed */

    /* Register the area (its physical address: ksseg VA - 0xC0000000). */
    la    $a0, area
    lui   $t0, 0xC000
    subu  $a0, $a0, $t0
    syscall MC(1)
    move  $a0, $v0
    li    $a1, 0
    la    $a2, msg_register
    jal   check
    nop

    /* 1: MTC0 EntryHi, then the page. */
    li    $t0, 0x12346005
    mtc0  $t0, $10
    ehb
    la    $t1, area
    lw    $a0, REG(10)($t1)
    li    $a1, 0x12346005
    la    $a2, msg_entryhi
    jal   check
    nop

    /* 2: a store of EPC to the page, then MFC0. */
    li    $t0, 0xC0001234
    la    $t1, area
    sw    $t0, REG(14)($t1)
    mfc0  $a0, $14
    li    $a1, 0xC0001234
    la    $a2, msg_epc
    jal   check
    nop

    /* 3: an exception: the handler compares the page with MFC0 and returns through the page's EPC. */
    .globl break_here
break_here:
    break 7
    la    $s4, seen
    lw    $a0, 0($s4)
    la    $a1, break_here
    la    $a2, msg_exc_epc
    jal   check
    nop
    lw    $a0, 4($s4)
    la    $a1, break_here
    la    $a2, msg_exc_epc_mfc0
    jal   check
    nop
    lw    $a0, 8($s4)
    lw    $a1, 12($s4)
    la    $a2, msg_exc_cause
    jal   check
    nop
    lw    $a0, 16($s4)
    lw    $a1, 20($s4)
    la    $a2, msg_exc_status
    jal   check
    nop

    /* 4: EntryHi stored to the page, TLBP: Index (probe failure) in the page and with MFC0. */
    li    $t0, 0x00776000
    la    $t1, area
    sw    $t0, REG(10)($t1)
    tlbp
    ehb
    lw    $a0, REG(0)($t1)
    mfc0  $a1, $0
    la    $a2, msg_index
    jal   check
    nop
    mfc0  $a0, $10
    li    $a1, 0x00776000
    la    $a2, msg_entryhi_store
    jal   check
    nop

    /* 5: the console call prints the buffer. */
    la    $a0, msg_console
    la    $a1, area + 4096
    li    $a2, 0
2:  lbu   $t0, 0($a0)
    beqz  $t0, 3f
    nop
    sb    $t0, 0($a1)
    addiu $a0, $a0, 1
    addiu $a1, $a1, 1
    b     2b
    addiu $a2, $a2, 1
3:  move  $a0, $a2
    syscall MC(2)

    la    $a0, msg_done
    jal   puts
    nop
    move  $a0, $s0
    jal   puthex
    nop
    la    $a0, msg_nl
    jal   puts
    nop
    lui   $t1, 0xDF00
    sw    $s0, 0x108($t1)
7:  b     7b
    nop

/* check(a0 = got, a1 = expected, a2 = name): prints it, counts a failure in s0. */
check:
    move  $s1, $ra
    move  $s2, $a0
    move  $s3, $a1
    move  $a0, $a2
    jal   puts
    nop
    move  $a0, $s2
    jal   puthex
    nop
    beq   $s2, $s3, 4f
    nop
    addiu $s0, $s0, 1
    la    $a0, msg_differs
    jal   puts
    nop
    move  $a0, $s3
    jal   puthex
    nop
4:  la    $a0, msg_nl
    jal   puts
    nop
    jr    $s1
    nop

    .data
    .align 2
seen:             .space 24     /* EPC, Cause, Status: in the page, with MFC0 */
msg_native:       .asciz "pvcoherence: SYS_MONITOR reads 0: no monitor\n"
msg_unexpected:   .asciz "pvcoherence: unexpected TLB refill\n"
msg_register:     .asciz "register the special page: v0 = 0x"
msg_entryhi:      .asciz "MTC0 EntryHi, read from the page: 0x"
msg_epc:          .asciz "EPC stored to the page, MFC0: 0x"
msg_exc_epc:      .asciz "exception: EPC in the page 0x"
msg_exc_epc_mfc0: .asciz "exception: EPC with MFC0 0x"
msg_exc_cause:    .asciz "exception: Cause in the page 0x"
msg_exc_status:   .asciz "exception: Status in the page 0x"
msg_index:        .asciz "TLBP after a stored EntryHi: Index in the page 0x"
msg_entryhi_store: .asciz "EntryHi stored to the page, MFC0: 0x"
msg_console:      .asciz "pvcoherence: this line came through one console call\n"
msg_differs:      .asciz " DIFFERS, expected 0x"
msg_done:         .asciz "pvcoherence: failed checks 0x"
msg_nl:           .asciz "\n"

    .bss
    .align 12
area:   .space 8192

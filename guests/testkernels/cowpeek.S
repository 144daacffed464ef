/*
 * cowpeek: two VMs of this kernel check that page sharing never lets one see the other's
 * writes. The command line names the role, "w" (writer) or "r" (reader). Both write the
 * same word into a zero page, and spin past a few epochs, so that the content scan can merge
 * the two pages (identical); then the writer writes that page and a word of the kernel image
 * (shared copy-on-write between the two VMs from the start), both spin again, and each reads
 * both words back. Each must see its own: the reader its first value and the image's, the
 * writer what it wrote. Meanwhile the reader writes a fresh page: whatever machine page it
 * gets, its merged page must still read the same. It prints what it read and powers off
 * with 0 when right, 1 when not.
 * Alone, on the bare board, it gives the same answers.
 */
    .set noreorder
    .set noat

#define SPIN 3000000            /* two instructions each: 6 M cycles, three default epochs */

    .section .text.vectors, "ax"
    .align 12
vectors:
    b     unexpected
    nop
    .org  0x180
    b     unexpected
    nop
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
    la    $t0, vectors
    ori   $t0, $t0, 0x800
    mtc0  $t0, $15, 1
    mfc0  $t1, $12
    lui   $t2, 0xFFBF
    ori   $t2, $t2, 0xFFFF
    and   $t1, $t1, $t2
    mtc0  $t1, $12
    ehb
    lw    $t0, 20($a1)          /* boot_info.cmdline */
    lbu   $s0, 0($t0)           /* 'w' or 'r' */
    la    $s1, scratch
    la    $s2, image_word
    li    $t0, 0x33333333       /* 1: both VMs, the same bytes */
    sw    $t0, 0($s1)
    jal   spin
    nop
    li    $t1, 'w'
    bne   $s0, $t1, 1f
    nop
    li    $t0, 0x44444444       /* 2: the writer writes both pages */
    sw    $t0, 0($s1)
    li    $t0, 0x22222222
    sw    $t0, 0($s2)
    b     8f
    nop
1:  la    $t4, fresh            /* the reader takes a new page: it must not be one it still maps */
    li    $t0, 0x55555555
    sw    $t0, 0($t4)
8:  jal   spin
    nop
    lw    $s3, 0($s1)           /* 3: each reads both back */
    lw    $s4, 0($s2)
    la    $a0, msg_scratch
    jal   puts
    nop
    move  $a0, $s3
    jal   puthex
    nop
    la    $a0, msg_image
    jal   puts
    nop
    move  $a0, $s4
    jal   puthex
    nop
    la    $a0, msg_nl
    jal   puts
    nop
    li    $t1, 'w'
    beq   $s0, $t1, 2f
    nop
    li    $t2, 0x33333333       /* the reader: nothing of the writer's */
    li    $t3, 0x11111111
    b     3f
    nop
2:  li    $t2, 0x44444444       /* the writer: its own writes */
    li    $t3, 0x22222222
3:  xor   $t2, $t2, $s3
    xor   $t3, $t3, $s4
    or    $t2, $t2, $t3
    sltu  $t2, $zero, $t2
    lui   $t1, 0xDF00
    sw    $t2, 0x108($t1)
4:  b     4b
    nop

spin:
    li    $t0, SPIN
6:  bnez  $t0, 6b
    addiu $t0, $t0, -1
    jr    $ra
    nop

    .data
    .align 2
image_word:     .word 0x11111111
msg_unexpected: .asciz "cowpeek: unexpected exception\n"
msg_scratch:    .asciz "cowpeek: zero-page word 0x"
msg_image:      .asciz ", image word 0x"
msg_nl:         .asciz "\n"

    .bss
    .align 12
scratch: .space 4096
fresh:   .space 4096

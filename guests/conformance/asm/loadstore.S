/*
 * loadstore.S - loads and stores of every width and signedness, and the
 * unaligned-access instructions lwl/lwr/swl/swr at every byte alignment
 * (each alone, merging into a preset register / memory pattern, and as the
 * usual lwl+lwr / swl+swr pairs). Also ll/sc.
 */
#include "report.inc"

    .data
    .align  3
src:    .byte   0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7
        .byte   0x08, 0x19, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e, 0x7f
dst:    .space  16
word:   .word   41

    .text
    /* LWX op, off: t0 = 0xdeadbeef; op t0, off(src); report */
    .macro  DO_LWX op, off
    la      $s1, src
    li      $s0, 0xdeadbeef
    \op     $s0, \off($s1)
    REPORT  "\op \off", $s0
    .endm

    /* ULW off: the lwl/lwr pair that reads the unaligned word at src+off */
    .macro  DO_ULW off
    la      $s1, src
    li      $s0, 0
    lwl     $s0, \off+3($s1)
    lwr     $s0, \off($s1)
    REPORT  "lwl+lwr (ulw) \off", $s0
    .endm

    /* SWX op, off: dst = aa.. ; op 0x11223344, off(dst); report both words */
    .macro  DO_SWX op, off
    la      $s1, dst
    li      $t0, 0xaaaaaaaa
    sw      $t0, 0($s1)
    sw      $t0, 4($s1)
    li      $t0, 0x11223344
    \op     $t0, \off($s1)
    lw      $s0, 0($s1)
    lw      $s2, 4($s1)
    REPORT  "\op \off word0", $s0
    REPORT  "\op \off word1", $s2
    .endm

    .macro  DO_USW off
    la      $s1, dst
    sw      $zero, 0($s1)
    sw      $zero, 4($s1)
    li      $t0, 0xcafef00d
    swl     $t0, \off+3($s1)
    swr     $t0, \off($s1)
    lw      $s0, 0($s1)
    lw      $s2, 4($s1)
    REPORT  "swl+swr (usw) \off word0", $s0
    REPORT  "swl+swr (usw) \off word1", $s2
    .endm

    .globl  main
    .type   main, @function
    .ent    main
main:
    PROLOGUE

    /* plain loads: sign and zero extension */
    la      $s1, src
    lb      $s0, 0($s1)
    REPORT  "lb 0x80", $s0
    lbu     $s0, 0($s1)
    REPORT  "lbu 0x80", $s0
    lb      $s0, 15($s1)
    REPORT  "lb 0x7f", $s0
    lh      $s0, 0($s1)
    REPORT  "lh 0x9180", $s0
    lhu     $s0, 0($s1)
    REPORT  "lhu 0x9180", $s0
    lh      $s0, 14($s1)
    REPORT  "lh 0x7f6e", $s0
    lw      $s0, 4($s1)
    REPORT  "lw", $s0

    /* plain stores */
    la      $s1, dst
    li      $t0, 0x55555555
    sw      $t0, 0($s1)
    li      $t0, 0x1234abcd
    sb      $t0, 1($s1)
    sh      $t0, 2($s1)
    lw      $s0, 0($s1)
    REPORT  "sb@1 sh@2", $s0

    .irp    off, 0, 1, 2, 3, 4, 5, 6, 7
    DO_LWX  lwl, \off
    DO_LWX  lwr, \off
    .endr
    .irp    off, 0, 1, 2, 3, 4, 5
    DO_ULW  \off
    .endr
    .irp    off, 0, 1, 2, 3
    DO_SWX  swl, \off
    DO_SWX  swr, \off
    DO_USW  \off
    .endr

    /* lwl/lwr into the same register as the base */
    la      $s0, src
    lwr     $s0, 1($s0)
    REPORT  "lwr base=dest", $s0

    /* ll/sc: sc succeeds (1) when nothing intervenes */
    la      $s1, word
1:  ll      $t0, 0($s1)
    addiu   $t0, $t0, 1
    sc      $t0, 0($s1)
    beqz    $t0, 1b
    nop
    move    $s0, $t0
    lw      $s2, 0($s1)
    REPORT  "sc result", $s0
    REPORT  "ll/sc incremented", $s2

    move    $v0, $zero
    EPILOGUE
    .end    main

/*
 * hilo.S - HI/LO: mult multu div divu mfhi mflo mthi mtlo madd maddu msub
 * msubu and the three-operand mul, over edge values; clz and clo.
 */
#include "report.inc"

    /* PAIR a, b: one block of results for the operands a and b */
    .macro  DO_PAIR a, b
    li      $s0, \a
    li      $s1, \b
    mult    $s0, $s1
    mfhi    $s2
    mflo    $s3
    REPORT  "mult \a \b hi", $s2
    REPORT  "mult \a \b lo", $s3
    multu   $s0, $s1
    mfhi    $s2
    mflo    $s3
    REPORT  "multu \a \b hi", $s2
    REPORT  "multu \a \b lo", $s3
    mul     $s2, $s0, $s1
    REPORT  "mul \a \b", $s2
    /* accumulate onto hi:lo = 0x00000001:0x80000000 */
    li      $t0, 1
    mthi    $t0
    li      $t0, 0x80000000
    mtlo    $t0
    madd    $s0, $s1
    mfhi    $s2
    mflo    $s3
    REPORT  "madd \a \b hi", $s2
    REPORT  "madd \a \b lo", $s3
    li      $t0, 1
    mthi    $t0
    li      $t0, 0x80000000
    mtlo    $t0
    maddu   $s0, $s1
    mfhi    $s2
    mflo    $s3
    REPORT  "maddu \a \b hi", $s2
    REPORT  "maddu \a \b lo", $s3
    li      $t0, 1
    mthi    $t0
    li      $t0, 0x80000000
    mtlo    $t0
    msub    $s0, $s1
    mfhi    $s2
    mflo    $s3
    REPORT  "msub \a \b hi", $s2
    REPORT  "msub \a \b lo", $s3
    li      $t0, 1
    mthi    $t0
    li      $t0, 0x80000000
    mtlo    $t0
    msubu   $s0, $s1
    mfhi    $s2
    mflo    $s3
    REPORT  "msubu \a \b hi", $s2
    REPORT  "msubu \a \b lo", $s3
    .endm

    /* DIV a, b (b != 0, and not INT_MIN / -1) */
    .macro  DO_DIVS a, b
    li      $s0, \a
    li      $s1, \b
    div     $zero, $s0, $s1
    mfhi    $s2
    mflo    $s3
    REPORT  "div \a \b rem", $s2
    REPORT  "div \a \b quo", $s3
    divu    $zero, $s0, $s1
    mfhi    $s2
    mflo    $s3
    REPORT  "divu \a \b rem", $s2
    REPORT  "divu \a \b quo", $s3
    .endm

    .macro  DO_CL v
    li      $s0, \v
    clz     $s1, $s0
    clo     $s2, $s0
    REPORT  "clz \v", $s1
    REPORT  "clo \v", $s2
    .endm

    .text
    .globl  main
    .type   main, @function
    .ent    main
main:
    PROLOGUE

    DO_PAIR 3, 7
    DO_PAIR -3, 7
    DO_PAIR -1, -1
    DO_PAIR 0x7fffffff, 0x7fffffff
    DO_PAIR 0x80000000, 0x80000000
    DO_PAIR 0x80000000, 0x7fffffff
    DO_PAIR 0xffffffff, 2
    DO_PAIR 0x12345678, 0x9abcdef0
    DO_PAIR 0, 0xdeadbeef

    DO_DIVS 100, 7
    DO_DIVS -100, 7
    DO_DIVS 100, -7
    DO_DIVS -100, -7
    DO_DIVS 0x80000000, 2
    DO_DIVS 0xffffffff, 0x10
    DO_DIVS 7, 100
    DO_DIVS 0x7fffffff, 0x7fffffff

    /* mthi/mtlo round trip */
    li      $t0, 0x13579bdf
    mthi    $t0
    li      $t0, 0x2468ace0
    mtlo    $t0
    mfhi    $s0
    mflo    $s1
    REPORT  "mthi/mfhi", $s0
    REPORT  "mtlo/mflo", $s1

    DO_CL   0
    DO_CL   1
    DO_CL   0x80000000
    DO_CL   0xffffffff
    DO_CL   0x00ff0000
    DO_CL   0xfff0ffff
    DO_CL   0x7fffffff

    move    $v0, $zero
    EPILOGUE
    .end    main

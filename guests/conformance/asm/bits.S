/*
 * bits.S - MIPS32r2 bit manipulation: rotr/rotrv, wsbh, seb, seh, ext and
 * ins at several positions and sizes, movn/movz (moving and not moving).
 */
#include "report.inc"

    .macro  DO_ROTR sa
    li      $s0, 0x12345678
    rotr    $s1, $s0, \sa
    REPORT  "rotr \sa", $s1
    .endm

    .macro  DO_ROTRV amount
    li      $s0, 0x80000001
    li      $t0, \amount
    rotrv   $s1, $s0, $t0
    REPORT  "rotrv \amount", $s1
    .endm

    .macro  DO_EXT pos, size
    li      $s0, 0xa5c3f00f
    ext     $s1, $s0, \pos, \size
    REPORT  "ext \pos \size", $s1
    .endm

    .macro  DO_INS pos, size
    li      $s1, 0xa5c3f00f
    li      $s0, 0x12345678
    ins     $s1, $s0, \pos, \size
    REPORT  "ins \pos \size", $s1
    .endm

    .macro  DO_SIGN v
    li      $s0, \v
    wsbh    $s1, $s0
    seb     $s2, $s0
    seh     $s3, $s0
    REPORT  "wsbh \v", $s1
    REPORT  "seb \v", $s2
    REPORT  "seh \v", $s3
    .endm

    .text
    .globl  main
    .type   main, @function
    .ent    main
main:
    PROLOGUE

    .irp    sa, 0, 1, 4, 8, 16, 24, 31
    DO_ROTR    \sa
    .endr
    .irp    n, 0, 1, 2, 31, 32, 33, 63, -1
    DO_ROTRV   \n
    .endr

    DO_SIGN    0x12345678
    DO_SIGN    0x00000080
    DO_SIGN    0x0000807f
    DO_SIGN    0xffff7f80
    DO_SIGN    0

    DO_EXT     0, 1
    DO_EXT     0, 32
    DO_EXT     4, 8
    DO_EXT     31, 1
    DO_EXT     16, 16
    DO_EXT     3, 29
    DO_EXT     7, 13
    DO_INS     0, 1
    DO_INS     0, 32
    DO_INS     4, 8
    DO_INS     31, 1
    DO_INS     16, 16
    DO_INS     8, 24
    DO_INS     5, 11

    /* the bswap32 idiom: wsbh + rotr 16 */
    li      $s0, 0x11223344
    wsbh    $s1, $s0
    rotr    $s1, $s1, 16
    REPORT  "wsbh+rotr16 (bswap)", $s1

    /* movn / movz: move and don't move (operands in s-registers, which
     * survive REPORT) */
    li      $s1, 222
    li      $s2, 0
    li      $s3, 5
    li      $s0, 111
    movn    $s0, $s1, $s2       # s2 == 0: no move
    REPORT  "movn not moved", $s0
    li      $s0, 111
    movn    $s0, $s1, $s3       # moved
    REPORT  "movn moved", $s0
    li      $s0, 111
    movz    $s0, $s1, $s3       # s3 != 0: no move
    REPORT  "movz not moved", $s0
    li      $s0, 111
    movz    $s0, $s1, $s2       # moved
    REPORT  "movz moved", $s0

    /* slt/sltu/slti/sltiu around the sign boundary */
    li      $t0, 0x80000000
    li      $t1, 0x7fffffff
    slt     $s0, $t0, $t1
    sltu    $s1, $t0, $t1
    slti    $s2, $t0, -1
    sltiu   $s3, $t1, -1        # immediate sign-extended, compared unsigned
    REPORT  "slt min,max", $s0
    REPORT  "sltu min,max", $s1
    REPORT  "slti min,-1", $s2
    REPORT  "sltiu max,-1", $s3

    /* logic immediates are zero-extended, arithmetic ones sign-extended */
    li      $t0, -1
    andi    $s0, $t0, 0x8000
    ori     $s1, $zero, 0x8000
    xori    $s2, $t0, 0xffff
    addiu   $s3, $zero, -32768
    REPORT  "andi -1,0x8000", $s0
    REPORT  "ori 0,0x8000", $s1
    REPORT  "xori -1,0xffff", $s2
    REPORT  "addiu 0,-32768", $s3
    lui     $s0, 0x8001
    nor     $s1, $s0, $zero
    REPORT  "lui 0x8001", $s0
    REPORT  "nor", $s1

    /* shifts: sa and variable, variable amounts use the low 5 bits */
    li      $t0, 0x80000001
    li      $t1, 33
    sll     $s0, $t0, 31
    srl     $s1, $t0, 31
    sra     $s2, $t0, 31
    sllv    $s3, $t0, $t1
    REPORT  "sll 31", $s0
    REPORT  "srl 31", $s1
    REPORT  "sra 31", $s2
    REPORT  "sllv 33", $s3
    li      $t0, 0x80000001
    li      $t1, 33
    srlv    $s0, $t0, $t1
    srav    $s1, $t0, $t1
    REPORT  "srlv 33", $s0
    REPORT  "srav 33", $s1

    /* add/sub that do not overflow, addu/subu that wrap */
    li      $t0, 0x7ffffffe
    addi    $s0, $t0, 1
    add     $s1, $t0, $zero
    li      $t1, 0x80000001
    sub     $s2, $t1, $zero
    addiu   $s3, $t0, 2         # wraps, no trap
    REPORT  "addi", $s0
    REPORT  "add", $s1
    REPORT  "sub", $s2
    REPORT  "addiu wrap", $s3
    li      $t0, 0x80000000
    li      $t1, 1
    subu    $s0, $t0, $t1
    REPORT  "subu wrap", $s0

    move    $v0, $zero
    EPILOGUE
    .end    main

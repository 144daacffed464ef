/*
 * traps.S - instructions that must execute without effect here: the
 * conditional traps in their NOT-trapping direction (teq tne tge tgeu tlt
 * tltu and teqi tnei tgei tgeiu tlti tltiu), sync, pref with several hints,
 * synci on our own code, ssnop/ehb/nop. The program reaching its end is
 * the test; it reports how many were executed.
 */
#include "report.inc"

    .text
    .globl  main
    .type   main, @function
    .ent    main
main:
    PROLOGUE
    li      $s0, 0              # instructions survived

    li      $t0, 5
    li      $t1, 6
    li      $t2, -1             # 0xffffffff: small signed, huge unsigned
    li      $t3, 1

    teq     $t0, $t1            # 5 == 6? no
    addiu   $s0, $s0, 1
    teq     $t0, $t1, 7         # with a code field
    addiu   $s0, $s0, 1
    tne     $t0, $t0            # 5 != 5? no
    addiu   $s0, $s0, 1
    tge     $t2, $t3            # -1 >= 1 (signed)? no
    addiu   $s0, $s0, 1
    tgeu    $t3, $t2            # 1 >= 0xffffffff (unsigned)? no
    addiu   $s0, $s0, 1
    tlt     $t3, $t2            # 1 < -1 (signed)? no
    addiu   $s0, $s0, 1
    tltu    $t2, $t3            # 0xffffffff < 1 (unsigned)? no
    addiu   $s0, $s0, 1
    tlt     $t0, $t0            # 5 < 5? no
    addiu   $s0, $s0, 1

    teqi    $t0, 6
    addiu   $s0, $s0, 1
    tnei    $t0, 5
    addiu   $s0, $s0, 1
    tgei    $t2, 0              # -1 >= 0? no
    addiu   $s0, $s0, 1
    tgeiu   $t3, -1             # 1 >= 0xffffffff (immediate sign-extended)? no
    addiu   $s0, $s0, 1
    tlti    $t3, -1             # 1 < -1? no
    addiu   $s0, $s0, 1
    tltiu   $t2, 5              # 0xffffffff < 5? no
    addiu   $s0, $s0, 1
    tlti    $t0, 5              # 5 < 5? no
    addiu   $s0, $s0, 1
    REPORT  "non-trapping traps", $s0

    li      $s0, 0
    sync
    addiu   $s0, $s0, 1
    la      $t0, main
    pref    0, 0($t0)           # load
    addiu   $s0, $s0, 1
    pref    1, 64($t0)          # store
    addiu   $s0, $s0, 1
    pref    4, 0($sp)           # load_streamed
    addiu   $s0, $s0, 1
    pref    5, 0($sp)           # store_streamed
    addiu   $s0, $s0, 1
    pref    6, -32($sp)         # load_retained
    addiu   $s0, $s0, 1
    pref    7, -32($sp)         # store_retained
    addiu   $s0, $s0, 1
    la      $t1, 1f
    synci   0($t1)              # make our own (unchanged) code coherent
1:  addiu   $s0, $s0, 1
    ssnop
    addiu   $s0, $s0, 1
    ehb
    addiu   $s0, $s0, 1
    nop
    addiu   $s0, $s0, 1
    REPORT  "sync/pref/synci/ssnop/ehb", $s0

    move    $v0, $zero
    EPILOGUE
    .end    main

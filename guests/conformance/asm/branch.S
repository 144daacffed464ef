/*
 * branch.S - branches and their delay slots.
 *
 * Branch-likely (beql bnel blezl bgtzl bltzl bgezl bltzall bgezall): when
 * taken the delay slot runs; when NOT taken the delay slot is nullified.
 * Each case counts into s0: +1 from the delay slot, +100 from the
 * fall-through path, so "taken" prints 1 and "not taken" prints 100.
 * The and-link forms write ra = address after the delay slot whether or not
 * the branch is taken; we print ra minus that address (0).
 * Ordinary branches, j/jal/jr/jalr (also with rd != ra) and the .hb forms:
 * the delay slot always runs.
 */
#include "report.inc"

    /* LIKELY op, operands..., label-for-report */
    .macro  LIKELY2 op, rs, rt, name
    li      $s0, 0
    \op     \rs, \rt, 1f
    addiu   $s0, $s0, 1         # delay slot
    addiu   $s0, $s0, 100       # fall-through
1:  REPORT  "\name", $s0
    .endm

    .macro  LIKELY1 op, rs, name
    li      $s0, 0
    \op     \rs, 1f
    addiu   $s0, $s0, 1
    addiu   $s0, $s0, 100
1:  REPORT  "\name", $s0
    .endm

    /* and-link forms: also report ra - (address after the delay slot) */
    .macro  LINK1 op, rs, name
    li      $s0, 0
    \op     \rs, 1f
    addiu   $s0, $s0, 1
2:  addiu   $s0, $s0, 100
1:  la      $t0, 2b
    subu    $s1, $ra, $t0
    REPORT  "\name", $s0
    REPORT  "\name ra-next", $s1
    .endm

    .text
    .globl  main
    .type   main, @function
    .ent    main
main:
    PROLOGUE

    li      $s2, 5
    li      $s3, 5
    li      $s4, -3
    li      $s5, 0

    LIKELY2 beql, $s2, $s3, "beql taken"
    LIKELY2 beql, $s2, $s4, "beql not taken"
    LIKELY2 bnel, $s2, $s4, "bnel taken"
    LIKELY2 bnel, $s2, $s3, "bnel not taken"
    LIKELY1 blezl, $s4, "blezl taken (neg)"
    LIKELY1 blezl, $s5, "blezl taken (zero)"
    LIKELY1 blezl, $s2, "blezl not taken"
    LIKELY1 bgtzl, $s2, "bgtzl taken"
    LIKELY1 bgtzl, $s5, "bgtzl not taken (zero)"
    LIKELY1 bltzl, $s4, "bltzl taken"
    LIKELY1 bltzl, $s5, "bltzl not taken (zero)"
    LIKELY1 bgezl, $s5, "bgezl taken (zero)"
    LIKELY1 bgezl, $s4, "bgezl not taken"
    LINK1   bltzall, $s4, "bltzall taken"
    LINK1   bltzall, $s2, "bltzall not taken"
    LINK1   bgezall, $s5, "bgezall taken"
    LINK1   bgezall, $s4, "bgezall not taken"

    /* ordinary branches: the delay slot always runs */
    LIKELY2 beq, $s2, $s3, "beq taken"
    LIKELY2 beq, $s2, $s4, "beq not taken"
    LIKELY2 bne, $s2, $s4, "bne taken"
    LIKELY2 bne, $s2, $s3, "bne not taken"
    LIKELY1 blez, $s5, "blez taken"
    LIKELY1 blez, $s2, "blez not taken"
    LIKELY1 bgtz, $s2, "bgtz taken"
    LIKELY1 bgtz, $s4, "bgtz not taken"
    LIKELY1 bltz, $s4, "bltz taken"
    LIKELY1 bltz, $s2, "bltz not taken"
    LIKELY1 bgez, $s2, "bgez taken"
    LIKELY1 bgez, $s4, "bgez not taken"
    LINK1   bltzal, $s4, "bltzal taken"
    LINK1   bltzal, $s2, "bltzal not taken"
    LINK1   bgezal, $s5, "bgezal taken"
    LINK1   bgezal, $s4, "bgezal not taken"

    /* b and bal (beq $0,$0 / bgezal $0) */
    li      $s0, 0
    b       1f
    addiu   $s0, $s0, 1
    addiu   $s0, $s0, 100
1:  REPORT  "b", $s0
    li      $s0, 0
    bal     1f
    addiu   $s0, $s0, 1
2:  addiu   $s0, $s0, 100
1:  la      $t0, 2b
    subu    $s1, $ra, $t0
    REPORT  "bal", $s0
    REPORT  "bal ra-next", $s1

    /* j, jal, jr, jalr rd, jalr.hb, jr.hb */
    li      $s0, 0
    j       1f
    addiu   $s0, $s0, 1
    addiu   $s0, $s0, 100
1:  REPORT  "j", $s0

    li      $s0, 0
    jal     leaf_add7           # s0 += 7 in the callee, +1 in our delay slot
    addiu   $s0, $s0, 1
    REPORT  "jal/jr", $s0

    li      $s0, 0
    la      $t1, leaf_add7
    jalr    $t1
    addiu   $s0, $s0, 1
    REPORT  "jalr", $s0

    li      $s0, 0
    la      $t1, leaf_add7_s2
    jalr    $s2, $t1            # link into s2, return through s2
    addiu   $s0, $s0, 1
    REPORT  "jalr rd=s2", $s0

    li      $s0, 0
    la      $t1, leaf_add7
    jalr.hb $t1
    addiu   $s0, $s0, 1
    REPORT  "jalr.hb", $s0

    li      $s0, 0
    la      $t1, 1f
    jr.hb   $t1
    addiu   $s0, $s0, 1
    addiu   $s0, $s0, 100
1:  REPORT  "jr.hb", $s0

    /* a loop whose branch has useful work in the delay slot */
    li      $s0, 0
    li      $t0, 10
1:  addiu   $t0, $t0, -1
    bnez    $t0, 1b
    addiu   $s0, $s0, 3         # runs 10 times
    REPORT  "loop delay slot x10", $s0

    /* a count-down loop with branch-likely: last delay slot nullified */
    li      $s0, 0
    li      $t0, 10
1:  addiu   $t0, $t0, -1
    bnezl   $t0, 1b
    addiu   $s0, $s0, 3         # runs 9 times
    REPORT  "bnezl loop x9", $s0

    move    $v0, $zero
    EPILOGUE
    .end    main

    .type   leaf_add7, @function
    .ent    leaf_add7
leaf_add7:
    jr      $ra
    addiu   $s0, $s0, 7
    .end    leaf_add7

    .type   leaf_add7_s2, @function
    .ent    leaf_add7_s2
leaf_add7_s2:
    jr      $s2
    addiu   $s0, $s0, 7
    .end    leaf_add7_s2

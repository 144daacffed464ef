/*
 * costcheck: eight instructions whose cost under the monitor can be worked out by hand
 * (the cost-model test does). Two privileged instructions, three device writes (the
 * console's "A\n" and the power-off), nothing else: no exception is ever reflected.
 */
    .set noreorder
    .text
    .globl _start
_start:
    mfc0  $t0, $12              /* 1: trap, MFC0 emulated */
    mtc0  $t0, $12              /* 2: trap, MTC0 emulated (same value) */
    lui   $t1, 0xDF00           /* 3 */
    addiu $t2, $zero, 'A'       /* 4 */
    sw    $t2, 0($t1)           /* 5: trap, device write (UART) */
    addiu $t3, $zero, '\n'      /* 6 */
    sw    $t3, 0($t1)           /* 7: trap, device write (UART) */
    sw    $zero, 0x108($t1)     /* 8: trap, device write (power off, status 0) */
1:  b     1b
    nop

/* Console output through the device page (VA 0xDF000000, wired by the loader). */
    .set noreorder
    .text
    .globl puts
    .globl puthex
/* puts(a0 = NUL-terminated string) */
puts:
    lui   $t8, 0xDF00
1:  lbu   $t9, 0($a0)
    beqz  $t9, 2f
    nop
    sw    $t9, 0($t8)
    b     1b
    addiu $a0, $a0, 1
2:  jr    $ra
    nop
/* puthex(a0 = value): eight hex digits */
puthex:
    lui   $t8, 0xDF00
    li    $t9, 28
3:  srlv  $v0, $a0, $t9
    andi  $v0, $v0, 0xF
    slti  $v1, $v0, 10
    bnez  $v1, 4f
    addiu $v0, $v0, '0'
    addiu $v0, $v0, 'a' - '0' - 10
4:  sw    $v0, 0($t8)
    addiu $t9, $t9, -4
    bgez  $t9, 3b
    nop
    jr    $ra
    nop

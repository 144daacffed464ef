/*
 * crash: a kernel that jumps into unmapped memory before installing any exception
 * handler. With Status.BEV still set its exceptions go to the boot vectors in kseg1,
 * where there is no ROM: the machine can never make progress again. The bare board
 * reports an exception loop; the monitor stops just this VM with a diagnostic.
 */
    .set noreorder
    .text
    .globl _start
_start:
    la    $a0, msg
    jal   puts
    nop
    lui   $t0, 0x1234
    jr    $t0
    nop
    .data
msg: .asciz "crash: jumping to 0x12340000 with no handlers installed\n"

/*
 * crt0.S - entry point of a static Linux o32 program.
 *
 * The kernel (or qemu-mipsel, or ActorVmm's exec) enters _start with
 *    0(sp)  argc
 *    4(sp)  argv[0] ... argv[argc-1], NULL
 *           envp[0] ... NULL
 *           auxv pairs ... AT_NULL
 * No register other than sp is meaningful. We do not set gp: everything
 * is built with -G0 -mno-abicalls, so nothing is gp-relative.
 * bss is zeroed by the loader (ELF semantics), not here.
 */
    .text
    .set    noreorder
    .globl  _start
    .type   _start, @function
    .ent    _start
_start:
    move    $fp, $zero          # outermost frame for debuggers
    move    $ra, $zero
    lw      $a0, 0($sp)         # argc
    addiu   $a1, $sp, 4         # argv
    sll     $t0, $a0, 2
    addu    $a2, $a1, $t0
    addiu   $a2, $a2, 4         # envp = &argv[argc + 1]
    li      $t0, -8
    and     $sp, $sp, $t0       # o32 wants 8-byte alignment
    jal     __libc_start_main   # (argc, argv, envp), never returns
    addiu   $sp, $sp, -16       # delay slot: o32 argument save area
    break   0                   # not reached
    .end    _start
    .size   _start, . - _start

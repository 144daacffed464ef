/*
 * userseg: a user process that reaches for the kernel's segments. The kernel maps one
 * user page (VA 0x00400000, ASID 1, read-only) holding the code below and ERETs to it
 * in user mode; the user code loads from and stores to ksseg (where the kernel, and
 * under the monitor its wired window, lives), the device page's VA (in ksseg), kseg0,
 * kseg1 and kseg3. Each must be an address error (AdEL 4 / AdES 5) with BadVAddr the
 * address, as on the bare board: under the monitor the guest kernel runs in supervisor
 * mode, which may use ksseg, so the guest's user mode must be the machine's user mode.
 * A store that reached the device page would print a '!' on the console. The user code
 * ends with a SYSCALL; the kernel prints what it saw and powers off with 0.
 */
    .set noreorder
    .set noat

#define USER_VA 0x00400000

    .section .text.vectors, "ax"
    .align 12
vectors:
    b     unexpected            /* EBase+0x000, TLB refill: none is expected */
    nop
    .org  0x180
general:                        /* EBase+0x180: note cause and BadVAddr, skip the access */
    mfc0  $t2, $13
    srl   $t2, $t2, 2
    andi  $t2, $t2, 0x1F        /* (the user code uses only t0 and t1) */
    mfc0  $t3, $8
    la    $t4, nres
    lw    $t5, 0($t4)
    sll   $t6, $t5, 3
    la    $t7, results
    addu  $t7, $t7, $t6
    sw    $t2, 0($t7)
    sw    $t3, 4($t7)
    addiu $t5, $t5, 1
    sw    $t5, 0($t4)
    li    $t6, 8                /* Sys: the user is done */
    beq   $t2, $t6, 1f
    nop
    slti  $t6, $t5, 16          /* a runaway user: stop taking its exceptions */
    beqz  $t6, 1f
    nop
    mfc0  $k0, $14
    addiu $k0, $k0, 4
    mtc0  $k0, $14
    ehb
    eret
1:  la    $t0, report
    jr    $t0
    nop

unexpected:
    la    $a0, msg_refill
    jal   puts
    nop
    li    $t0, 3
    lui   $t1, 0xDF00
    sw    $t0, 0x108($t1)
5:  b     5b
    nop

/* The user program: position independent, in a page of its own. */
    .align 12
user_code:
    lui   $t0, 0xC000
    lw    $t1, 0x1000($t0)      /* ksseg: the kernel's first word */
    lui   $t0, 0xC000
    sw    $t1, 0x2000($t0)      /* ksseg store */
    li    $t1, '!'
    lui   $t0, 0xDF00
    sw    $t1, 0($t0)           /* the device page's VA: UART_TX */
    lui   $t0, 0xDF00
    lw    $t1, 0x100($t0)       /* SYS_MEMSIZE */
    lui   $t0, 0x8000
    lw    $t1, 0x1000($t0)      /* kseg0 */
    lui   $t0, 0xA000
    lw    $t1, 0x1000($t0)      /* kseg1 */
    lui   $t0, 0xE000
    lw    $t1, 0($t0)           /* kseg3 */
    lui   $t0, 0xFFFF
    sw    $t1, -4($t0)          /* the last word of kseg3 */
    syscall
2:  b     2b
    nop

    .text
    .globl _start
_start:
    la    $t0, vectors
    ori   $t0, $t0, 0x800       /* EBase.WG: the vectors are in ksseg */
    mtc0  $t0, $15, 1
    mfc0  $t1, $12
    lui   $t2, 0xFFBF
    ori   $t2, $t2, 0xFFFF      /* clear Status.BEV */
    and   $t1, $t1, $t2
    mtc0  $t1, $12
    ehb
    la    $a0, msg_start
    jal   puts
    nop
    /* TLB index 20: USER_VA -> user_code's page, ASID 1, valid, read-only, not global */
    la    $t0, user_code
    lui   $t1, 0xC000
    subu  $t0, $t0, $t1         /* its physical address */
    srl   $t0, $t0, 12
    sll   $t0, $t0, 6
    ori   $t0, $t0, 0x1A        /* C = 3 | V */
    mtc0  $t0, $2
    mtc0  $zero, $3
    mtc0  $zero, $5
    lui   $t1, USER_VA >> 16
    ori   $t1, $t1, 1           /* ASID 1: also the current ASID from here on */
    mtc0  $t1, $10
    li    $t2, 20
    mtc0  $t2, $0
    ehb
    tlbwi
    /* to user mode: KSU = user, EXL = 1, IE = 0; ERET to USER_VA */
    mfc0  $t0, $12
    li    $t1, ~0x1F
    and   $t0, $t0, $t1
    ori   $t0, $t0, 0x12
    mtc0  $t0, $12
    lui   $t0, USER_VA >> 16
    mtc0  $t0, $14
    ehb
    eret

report:                         /* from the handler, at exception level */
    mfc0  $t0, $12
    li    $t1, ~0x1F            /* kernel mode, EXL clear */
    and   $t0, $t0, $t1
    mtc0  $t0, $12
    ehb
    la    $s0, results
    la    $t0, nres
    lw    $s1, 0($t0)
    sll   $s1, $s1, 3
    addu  $s1, $s1, $s0
3:  la    $a0, msg_exc
    jal   puts
    nop
    lw    $a0, 0($s0)
    jal   puthex
    nop
    la    $a0, msg_bad
    jal   puts
    nop
    lw    $a0, 4($s0)
    jal   puthex
    nop
    la    $a0, msg_nl
    jal   puts
    nop
    addiu $s0, $s0, 8
    bne   $s0, $s1, 3b
    nop
    la    $a0, msg_done
    jal   puts
    nop
    lui   $t1, 0xDF00
    sw    $zero, 0x108($t1)
6:  b     6b
    nop

    .data
    .align 2
nres:       .word 0
results:    .space 16 * 8
msg_start:  .asciz "userseg: a user process reaching for kernel segments\n"
msg_exc:    .asciz "user exception 0x"
msg_bad:    .asciz " BadVAddr 0x"
msg_nl:     .asciz "\n"
msg_done:   .asciz "userseg: done\n"
msg_refill: .asciz "userseg: unexpected TLB refill\n"

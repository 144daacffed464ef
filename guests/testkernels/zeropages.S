/*
 * zeropages: a kernel whose RAM must start as zeros. It reads four words of each page
 * from physical 256 KB to 896 KB (160 pages, through the ksseg window), counts the
 * pages where any is not zero, then writes a pattern into those words and powers off.
 * With "late" on its command line it first spins for 2,000,000 instructions, so that a
 * VM started beside another one on a small machine memory touches its pages only after
 * that one has powered off and its machine pages serve this VM: they must arrive
 * zeroed, as fresh RAM does on the bare board. Prints the count; powers off with 0 when
 * every page read as zeros, else 1.
 */
    .set noreorder
    .set noat

#define FIRST   0x00040000      /* physical 256 KB: past the image and the boot info */
#define PAGES   160
#define SPIN    1000000         /* 2 instructions each */
#define PATTERN 0xA5A5A5A5

    .text
    .globl _start
_start:
    move  $s0, $a1              /* boot info (ksseg) */
    la    $a0, msg_start
    jal   puts
    nop
    lw    $t0, 20($s0)          /* boot_info.cmdline */
    lbu   $t0, 0($t0)
    beqz  $t0, 2f               /* empty: no wait */
    nop
    la    $a0, msg_late
    jal   puts
    nop
    li    $t0, SPIN
1:  addiu $t0, $t0, -1
    bnez  $t0, 1b
    nop
2:  lui   $s1, 0xC000
    li    $t0, FIRST
    addu  $s1, $s1, $t0         /* the first page's ksseg address */
    li    $s2, PAGES
    li    $s3, 0                /* pages that were not zero */
    li    $s4, PATTERN
3:  lw    $t0, 0($s1)
    lw    $t1, 0x404($s1)
    lw    $t2, 0x808($s1)
    lw    $t3, 0xFFC($s1)
    or    $t0, $t0, $t1
    or    $t2, $t2, $t3
    or    $t0, $t0, $t2
    beqz  $t0, 4f
    nop
    addiu $s3, $s3, 1
4:  sw    $s4, 0($s1)
    sw    $s4, 0x404($s1)
    sw    $s4, 0x808($s1)
    sw    $s4, 0xFFC($s1)
    addiu $s2, $s2, -1
    bnez  $s2, 3b
    addiu $s1, $s1, 0x1000
    la    $a0, msg_count
    jal   puts
    nop
    move  $a0, $s3
    jal   puthex
    nop
    la    $a0, msg_end
    jal   puts
    nop
    sltu  $t0, $zero, $s3       /* status 1 if any page was not zero */
    lui   $t1, 0xDF00
    sw    $t0, 0x108($t1)
5:  b     5b
    nop

    .data
msg_start:  .asciz "zeropages: reading 160 fresh pages\n"
msg_late:   .asciz "zeropages: waiting first\n"
msg_count:  .asciz "zeropages: pages not zero: 0x"
msg_end:    .asciz "\n"

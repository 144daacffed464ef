/*
 * physprobe: loads through TLB entries that reach the edges of the physical address
 * space: physical addresses of 4 GB and beyond (EntryLo PFNs >= 0x100000, 36-bit
 * physical addresses), and 16 MB and 256 MB pages that cover RAM, the space past it
 * and the device page. Each probe prints the exception code it took (0xff: none) and
 * what the load returned, so the console is the same natively and under the monitor
 * only if both translate every address alike: a monitor that dropped physical address
 * bits above 32 would read this VM's own page 0, or the device page, where the bare
 * board gives a bus error (ExcCode 7). Boot it with 4 MB of RAM. Powers off with 0.
 */
    .set noreorder
    .set noat

    .section .text.vectors, "ax"
    .align 12
vectors:
    b     unexpected            /* EBase+0x000, TLB refill: none is expected */
    nop
    .org  0x180
general:                        /* EBase+0x180: note the cause, skip the faulting load */
    mfc0  $k0, $13
    srl   $k0, $k0, 2
    andi  $k0, $k0, 0x1F
    lui   $k1, %hi(last_code)
    sw    $k0, %lo(last_code)($k1)
    mfc0  $k0, $14
    addiu $k0, $k0, 4
    mtc0  $k0, $14
    ehb
    eret

unexpected:
    la    $a0, msg_refill
    jal   puts
    nop
    li    $t0, 3
    lui   $t1, 0xDF00
    sw    $t0, 0x108($t1)
5:  b     5b
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
    la    $s0, probes
    la    $s1, probes_end
probe:
    lw    $t0, 0($s0)
    mtc0  $t0, $5               /* PageMask */
    lw    $t0, 4($s0)
    mtc0  $t0, $10              /* EntryHi (ASID 0) */
    lw    $t0, 8($s0)
    mtc0  $t0, $2               /* EntryLo0 */
    lw    $t0, 12($s0)
    mtc0  $t0, $3               /* EntryLo1 */
    li    $t0, 20
    mtc0  $t0, $0               /* Index 20 */
    ehb
    tlbwi
    ehb
    lui   $t5, %hi(last_code)
    li    $t6, 0xFF
    sw    $t6, %lo(last_code)($t5)
    lw    $t5, 16($s0)          /* the VA to load */
    li    $s2, 0
    lw    $s2, 0($t5)           /* the probe */
    la    $a0, msg_probe
    jal   puts
    nop
    lw    $a0, 16($s0)
    jal   puthex
    nop
    la    $a0, msg_code
    jal   puts
    nop
    lui   $t5, %hi(last_code)
    lw    $a0, %lo(last_code)($t5)
    jal   puthex
    nop
    la    $a0, msg_value
    jal   puts
    nop
    move  $a0, $s2
    jal   puthex
    nop
    la    $a0, msg_nl
    jal   puts
    nop
    addiu $s0, $s0, 20
    bne   $s0, $s1, probe
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
last_code:  .word 0

/* EntryLo: PFN << 6 | C << 3 | D | V; C = 3 (cacheable), 2 (uncached, for the device page) */
#define LO(pfn, c)  (((pfn) << 6) | ((c) << 3) | 0x6)
#define PM_4K       0x00000000
#define PM_16M      0x01FFE000
#define PM_256M     0x1FFFE000

/* one probe: PageMask, EntryHi, EntryLo0, EntryLo1, VA loaded */
probes:
    /* 4 KB pages at 36-bit physical addresses */
    .word PM_4K,   0x00100000, LO(0x100000, 3), 0, 0x00100000   /* 4 GB: page 0 if truncated */
    .word PM_4K,   0x00100000, LO(0x100001, 3), 0, 0x00100000   /* 4 GB + 4 KB: the vectors if truncated */
    .word PM_4K,   0x00100000, LO(0x11F000, 2), 0, 0x00100100   /* 0x11F000100: SYS_MEMSIZE if truncated */
    .word PM_4K,   0x00100000, 0, LO(0x100002, 3), 0x00101008   /* odd page, 4 GB + 8 KB */
    .word PM_4K,   0x00100000, LO(0xFFFFFF, 3), 0, 0x00100000   /* the last 36-bit page */
    /* 16 MB pages: even = physical 0 (RAM, then nothing), odd = 16 MB */
    .word PM_16M,  0x02000000, LO(0x0, 3), LO(0x1000, 3), 0x02001000   /* the kernel's first word */
    .word PM_16M,  0x02000000, LO(0x0, 3), LO(0x1000, 3), 0x023FF000   /* RAM's last page */
    .word PM_16M,  0x02000000, LO(0x0, 3), LO(0x1000, 3), 0x02400000   /* just past RAM */
    .word PM_16M,  0x02000000, LO(0x0, 3), LO(0x1000, 3), 0x03000000   /* 16 MB */
    /* 16 MB pages at 4 GB and at 4 GB + 496 MB (the device page's image above 4 GB) */
    .word PM_16M,  0x02000000, LO(0x100000, 3), LO(0x11F000, 2), 0x02001000
    .word PM_16M,  0x02000000, LO(0x100000, 3), LO(0x11F000, 2), 0x03000100
    /* 256 MB pages: physical 0 and 4 GB */
    .word PM_256M, 0x20000000, LO(0x0, 3), LO(0x100000, 3), 0x20001000  /* the kernel's first word */
    .word PM_256M, 0x20000000, LO(0x0, 3), LO(0x100000, 3), 0x20400000  /* just past RAM */
    .word PM_256M, 0x20000000, LO(0x0, 3), LO(0x100000, 3), 0x30000000  /* 4 GB */
    .word PM_256M, 0x20000000, LO(0x0, 3), LO(0x100000, 3), 0x30001000  /* 4 GB + 4 KB */
    /* 256 MB pages over the device page (at 256 MB + 240 MB) and its image above 4 GB */
    .word PM_256M, 0x20000000, LO(0x10000, 2), LO(0x110000, 2), 0x20000000  /* 256 MB: nothing */
    .word PM_256M, 0x20000000, LO(0x10000, 2), LO(0x110000, 2), 0x2F000100  /* SYS_MEMSIZE */
    .word PM_256M, 0x20000000, LO(0x10000, 2), LO(0x110000, 2), 0x3F000100  /* 0x11F000100 */
probes_end:

msg_start:  .asciz "physprobe: loads through mappings of large and 36-bit physical addresses\n"
msg_probe:  .asciz "load 0x"
msg_code:   .asciz ": exception 0x"
msg_value:  .asciz " value 0x"
msg_nl:     .asciz "\n"
msg_done:   .asciz "physprobe: done\n"
msg_refill: .asciz "physprobe: unexpected TLB refill\n"

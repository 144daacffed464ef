/*
 * embed.S - the user programs linked into the kernel image.
 *
 * Each stripped ELF starts on a page of its own, so the kernel can map its
 * read-only text segment straight from the image (shared by every process
 * running it) and copy only the data segment. The table is an array of
 * struct program { name, image, image_end }, between programs and
 * programs_end. The .elf files come from the Makefile (-I for their dir).
 */
    .macro PROGRAM name
    .section .rodata.programs, "a", @progbits
    .balign 4096
1:  .incbin "\name\().elf"
2:
    .section .rodata.prognames, "a", @progbits
3:  .asciz "\name"
    .section .rodata.progtab, "a", @progbits
    .word 3b, 1b, 2b
    .endm

    .section .rodata.progtab, "a", @progbits
    .balign 4
    .globl programs
programs:
#include "programs.inc"
    .section .rodata.progtab, "a", @progbits
    .globl programs_end
programs_end:

/* tls.c - the thread pointer as Linux gives it to a user program:
 * set_thread_area (4283) sets it and rdhwr $29 (UserLocal) reads it back.
 * The 24Kc has no UserLocal register, so the instruction raises Reserved
 * Instruction and Linux emulates it; glibc reads its thread-local storage
 * that way (with rdhwr $3, $29). Read before any set_thread_area, in another
 * register, and in a branch delay slot, where the emulation must go on at the
 * branch target. */
#include <sys/syscall.h>
#include <unistd.h>
#include "conf.h"

#define SYS_set_thread_area 4283

static uint32_t tp_any(void)
{
    uint32_t tp;
    __asm__ volatile("rdhwr %0, $29" : "=r"(tp));
    return tp;
}

/* exactly as glibc writes it */
static uint32_t tp_v1(void)
{
    uint32_t tp;
    __asm__ volatile(".set push\n\t.set mips32r2\n\trdhwr $3, $29\n\tmove %0, $3\n\t.set pop"
                     : "=r"(tp) : : "$3");
    return tp;
}

/* in the delay slot of a taken branch: the instruction after it is skipped */
static uint32_t tp_delay_slot(void)
{
    uint32_t tp = 0xbad;
    __asm__ volatile(".set push\n\t.set noreorder\n\t"
                     "b 1f\n\t"
                     "rdhwr %0, $29\n\t"
                     "li %0, 0xbad\n"
                     "1:\n\t.set pop"
                     : "+r"(tp));
    return tp;
}

int main(void)
{
    printf("before set_thread_area: %08" PRIx32 "\n", tp_any());

    long r = syscall(SYS_set_thread_area, 0x12345670);
    printf("set_thread_area(0x12345670) = %ld\n", r);
    CHECK(r == 0);
    printf("rdhwr %%0, $29:  %08" PRIx32 "\n", tp_any());
    printf("rdhwr $3, $29:  %08" PRIx32 "\n", tp_v1());
    printf("in a delay slot: %08" PRIx32 "\n", tp_delay_slot());
    CHECK(tp_any() == 0x12345670 && tp_v1() == 0x12345670 && tp_delay_slot() == 0x12345670);

    r = syscall(SYS_set_thread_area, 0xfffff000u);
    printf("set_thread_area(0xfffff000) = %ld, reads %08" PRIx32 "\n", r, tp_v1());
    mix32(tp_any());
    return conf_done("tls");
}

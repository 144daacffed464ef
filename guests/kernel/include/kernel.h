/*
 * kernel.h - the ActorVmm guest kernel: shared types, constants, globals.
 *
 * The kernel runs in ksseg (VA 0xC0000000 + PA) and reaches RAM only through
 * that window and the devices only through VA 0xDF000000, so that the same
 * image runs in kernel mode on the bare board and in supervisor mode under the
 * monitor. See docs/MACHINE.md, "The guest kernel".
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

/* ---- constants shared with assembly ---- */
#define KSSEG_BASE     0xC0000000
#define DEVICE_VA      0xDF000000
#define PAGE_SIZE      4096
#define PAGE_SHIFT     12

/* User address space: one linear page table covers [0, USER_TOP). */
#define USER_TOP       0x01000000                  /* 16 MB */
#define PT_ENTRIES     (USER_TOP >> PAGE_SHIFT)     /* 4096 PTEs */
#define PT_BYTES       (PT_ENTRIES * 4)             /* 16 KB */
#define STACK_MAX      0x00100000                  /* 1 MB of stack */
#define STACK_LOW      (USER_TOP - STACK_MAX)

/* struct frame offsets */
#define FRAME_HI       128
#define FRAME_LO       132
#define FRAME_EPC      136
#define FRAME_SIZE     144

#define KSTACK_SIZE    8192
#define PANIC_STACK_SIZE 2048

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>
#include "mips.h"

#define KSEG(pa)      ((void *)(uintptr_t)(KSSEG_BASE + (uint32_t)(pa)))
#define PADDR(kva)    ((uint32_t)(uintptr_t)(kva) - KSSEG_BASE)
#define PAGE_ROUND_UP(x)   (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_ROUND_DOWN(x) ((x) & ~(PAGE_SIZE - 1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Registers by number */
enum { R_ZERO, R_AT, R_V0, R_V1, R_A0, R_A1, R_A2, R_A3,
       R_T0, R_T1, R_T2, R_T3, R_T4, R_T5, R_T6, R_T7,
       R_S0, R_S1, R_S2, R_S3, R_S4, R_S5, R_S6, R_S7,
       R_T8, R_T9, R_K0, R_K1, R_GP, R_SP, R_FP, R_RA };

/* A user process's registers, saved by the general exception vector. */
struct frame {
    uint32_t r[32];            /* r[0], k0, k1 are not saved */
    uint32_t hi, lo, epc, pad;
};
_Static_assert(sizeof(struct frame) == FRAME_SIZE, "frame layout");
_Static_assert(offsetof(struct frame, hi) == FRAME_HI, "frame layout");
_Static_assert(offsetof(struct frame, epc) == FRAME_EPC, "frame layout");

/* ---- boot info (docs/MACHINE.md) ---- */
struct boot_info {
    uint32_t magic, version, mem_size, ncpus, free_start, cmdline, ksseg_base, device_va;
};
#define BOOT_INFO_MAGIC 0x424D5641u

/* ---- console and power (console.c) ---- */
void kputc(int c);
void kputs(const char *s);
void kwrite(const char *s, uint32_t n);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void power_off(uint32_t status);
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int uart_getc(void);          /* -1 when no byte is waiting */

/* ---- string.c ---- */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strncpy_z(char *d, const char *s, size_t n);   /* always terminates */
int parse_uint(const char *s, uint32_t *out);        /* decimal; 0 on error */

/* ---- memory (mm.c) ---- */
void mm_init(uint32_t free_start, uint32_t mem_size);
uint32_t page_alloc(void);          /* a zeroed page's PA, or 0 */
void page_free(uint32_t pa);
uint32_t *pt_alloc(void);           /* a zeroed 16 KB page table, or 0 */
void pt_free(uint32_t *pt);         /* must be all zero again */
uint32_t mm_free_pages(void);
uint32_t mm_total_pages(void);
uint32_t mm_peak_pages(void);

/* ---- TLB and ASIDs (tlb.c) ---- */
void tlb_init(void);
void tlb_flush_user(void);
void tlb_update(uint32_t va, uint32_t asid, const uint32_t *pte_pair);
extern uint32_t tlb_size, tlb_wired;

/* ---- processes (proc.c) ---- */
#define NPROC      64
#define NAME_LEN   16
#define MAX_ARGS   16
#define ARG_BYTES  1024

enum pstate { P_FREE, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_WAITING, P_ZOMBIE };

struct proc {
    struct frame frame;        /* first: the vector saves straight into it */
    int pid;
    enum pstate state;
    char name[NAME_LEN];
    struct proc *parent;       /* 0: started by the kernel */
    struct proc *next;         /* run queue / sleep list */
    uint32_t *pgtab;           /* ksseg address of the linear page table */
    uint32_t asid, asid_gen;
    /* regions */
    uint32_t text_lo, text_hi;     /* shared, read-only */
    uint32_t data_lo, data_hi;     /* private; pages past the file contents are demand-zero */
    uint32_t heap_lo, brk;         /* [heap_lo, brk) demand-zero */
    uint32_t stack_lo;             /* [stack_lo, USER_TOP) demand-zero */
    /* blocking */
    uint32_t wake_tick;
    int wait_pid;
    uint32_t wait_status_va;
    /* exit */
    int wait_status;               /* Linux wait status */
    /* accounting */
    uint32_t nsyscalls, nfaults, npages;
};

extern struct proc *cur;          /* running process, 0 when idle */
extern uint32_t *cur_pgtab;        /* read by the TLB refill handler */
extern struct frame *cur_frame;    /* written by the general vector */
extern struct proc procs[NPROC];

int proc_spawn(const char *prog, int argc, char *const argv[], struct proc *parent, int *err);
void proc_exit(struct proc *p, int wait_status);
void proc_kill(struct proc *p, int sig);
int proc_wait(struct proc *p, int pid, uint32_t status_va, uint32_t options);
unsigned report_exits(void);
struct proc *proc_by_pid(int pid);
extern uint32_t nprocs_alive;

/* user memory access through the page table (vm.c) */
uint32_t *pte_of(struct proc *p, uint32_t va);
int va_demand_ok(struct proc *p, uint32_t va);
void *user_page(struct proc *p, uint32_t va, int write);   /* ksseg pointer to the byte, or 0 */
int copy_from_user(struct proc *p, void *dst, uint32_t src, uint32_t n);
int copy_to_user(struct proc *p, uint32_t dst, const void *src, uint32_t n);
int strncpy_from_user(struct proc *p, char *dst, uint32_t src, uint32_t n);
int demand_zero(struct proc *p, uint32_t va);             /* 0 ok, -errno */
void release_range(struct proc *p, uint32_t lo, uint32_t hi);   /* clear PTEs, free own pages */

/* ---- scheduler (sched.c) ---- */
void runq_add(struct proc *p);
void runq_remove(struct proc *p);
void sleep_remove(struct proc *p);
void sched_sleep(struct proc *p, uint32_t ticks);
void sched_block_current(void);
void timer_init(void);
void timer_interrupt(void);
struct frame *schedule(void);
__attribute__((noreturn)) void resume_user(struct frame *f);
__attribute__((noreturn)) void idle_loop(int use_wait);
extern uint32_t ticks, tick_len;
extern int need_resched;
extern volatile int idling;

/* ---- traps and system calls ---- */
struct frame *trap_user(struct frame *f, uint32_t cause, uint32_t badvaddr);
struct frame *idle_interrupt(uint32_t cause);
void kernel_exception(struct frame *f, uint32_t cause, uint32_t badvaddr);
void do_syscall(struct proc *p, struct frame *f);
void set_result(struct frame *f, long r);
const char *exc_name(uint32_t code, int tlb_invalid);

/* ---- embedded programs (programs.c) ---- */
struct program {
    const char *name;
    const uint8_t *image;
    const uint8_t *image_end;
};
const struct program *find_program(const char *name);
extern const struct program programs[];

/* ---- Linux numbers ---- */
#define SIGILL   4
#define SIGTRAP  5
#define SIGABRT  6
#define SIGFPE   8
#define SIGKILL  9
#define SIGBUS   10     /* MIPS numbering */
#define SIGSEGV  11
const char *signame(int sig);

#define EPERM   1
#define ENOENT  2
#define ESRCH   3
#define E2BIG   7
#define ENOEXEC 8
#define EBADF   9
#define ECHILD  10
#define EAGAIN  11
#define ENOMEM  12
#define EFAULT  14
#define EINVAL  22
#define ENOSYS  89

/* ---- counters (main.c) ---- */
struct kstats {
    uint32_t syscalls, ctxsw, ticks, demand_zero, spawned, asid_gens,
             tlb_refresh, killed, timer_preempt;
};
extern struct kstats kstats;

#ifdef PARAVIRT
void con_init(void);          /* console.c: after pv_init() */
#endif

/* ---- configuration (main.c) ---- */
extern int opt_idle_wait;
extern int opt_verbose;
extern int opt_share_text;

#endif /* __ASSEMBLER__ */
#endif

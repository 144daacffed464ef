/*
 * trap.c - what the general exception vector calls.
 *
 * From user mode: interrupts (the timer), system calls, TLB invalid faults
 * (demand-zero paging, or a stale TLB entry to refresh), and everything else,
 * which kills the process with a message naming the fault and its PC while
 * the others go on. From kernel mode: panic.
 */
#include "kernel.h"

uint32_t current_asid(void);

const char *exc_name(uint32_t code, int refill)
{
    switch (code) {
    case EXC_INT: return "interrupt";
    case EXC_MOD: return "TLB modified (store to a read-only page)";
    case EXC_TLBL: return refill ? "TLB refill (load/fetch)" : "TLB invalid (load/fetch)";
    case EXC_TLBS: return refill ? "TLB refill (store)" : "TLB invalid (store)";
    case EXC_ADEL: return "address error (load/fetch)";
    case EXC_ADES: return "address error (store)";
    case EXC_IBE: return "bus error (fetch)";
    case EXC_DBE: return "bus error (data)";
    case EXC_SYS: return "system call";
    case EXC_BP: return "breakpoint";
    case EXC_RI: return "reserved instruction";
    case EXC_CPU: return "coprocessor unusable";
    case EXC_OV: return "integer overflow";
    case EXC_TR: return "trap";
    default: return "exception";
    }
}

static int fault_signal(uint32_t code, uint32_t badvaddr)
{
    switch (code) {
    case EXC_MOD: case EXC_TLBL: case EXC_TLBS: return SIGSEGV;
    case EXC_ADEL: case EXC_ADES: return badvaddr >= 0x80000000u ? SIGSEGV : SIGBUS;
    case EXC_IBE: case EXC_DBE: return SIGBUS;
    case EXC_RI: case EXC_CPU: return SIGILL;
    case EXC_BP: case EXC_TR: return SIGTRAP;
    case EXC_OV: return SIGFPE;
    default: return SIGKILL;
    }
}

static void kill_fault(struct proc *p, struct frame *f, uint32_t code, uint32_t cause, uint32_t badvaddr)
{
    int sig = fault_signal(code, badvaddr);
    kprintf("[kernel] pid %d (%s) killed by %s: %s at pc 0x%08x", p->pid, p->name, signame(sig),
            exc_name(code, 0), f->epc);
    if (cause & CAUSE_BD)
        kputs(" (branch delay slot)");
    switch (code) {
    case EXC_MOD: case EXC_TLBL: case EXC_TLBS: case EXC_ADEL: case EXC_ADES:
        kprintf(", address 0x%08x", badvaddr);
        break;
    case EXC_CPU:
        kprintf(", coprocessor %u", (cause >> CAUSE_CE_SHIFT) & 3);
        break;
    }
    kputc('\n');
    proc_kill(p, sig);
}

/* TLBL/TLBS from user mode: the TLB holds an entry for the page with V = 0. */
static void page_fault(struct proc *p, struct frame *f, uint32_t code, uint32_t cause, uint32_t badvaddr)
{
    uint32_t *pte = pte_of(p, badvaddr);
    if (pte && (*pte & PTE_V)) {
        /* The PTE became valid after the TLB cached the pair (the kernel filled it). */
        kstats.tlb_refresh++;
    } else {
        int r = demand_zero(p, badvaddr);
        if (r == -ENOMEM) {
            kprintf("[kernel] pid %d (%s) killed by SIGKILL: out of memory at pc 0x%08x, address 0x%08x\n",
                    p->pid, p->name, f->epc, badvaddr);
            proc_kill(p, SIGKILL);
            return;
        }
        if (r < 0) {
            kill_fault(p, f, code, cause, badvaddr);
            return;
        }
    }
    tlb_update(badvaddr, current_asid(), &p->pgtab[(badvaddr >> PAGE_SHIFT) & ~1u]);
}

struct frame *trap_user(struct frame *f, uint32_t cause, uint32_t badvaddr)
{
    struct proc *p = cur;
    uint32_t code = (cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
    switch (code) {
    case EXC_INT:
        if (cause & CAUSE_IP7)
            timer_interrupt();
        break;
    case EXC_SYS:
        kstats.syscalls++;
        p->nsyscalls++;
        if (cause & CAUSE_BD) {
            kprintf("[kernel] pid %d (%s) killed by SIGILL: system call in a branch delay slot at pc 0x%08x\n",
                    p->pid, p->name, f->epc);
            proc_kill(p, SIGILL);
            break;
        }
        do_syscall(p, f);
        break;
    case EXC_TLBL:
    case EXC_TLBS:
        page_fault(p, f, code, cause, badvaddr);
        break;
    default:
        kill_fault(p, f, code, cause, badvaddr);
        break;
    }
    return schedule();
}

static const char *const regnames[32] = {
    "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
    "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
};

/* An exception the kernel itself caused: report it and power off with 255. */
void kernel_exception(struct frame *f, uint32_t cause, uint32_t badvaddr)
{
    uint32_t code = (cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
    kprintf("[kernel] panic: %s in the kernel at pc 0x%08x%s", exc_name(code, 0), f->epc,
            (cause & CAUSE_BD) ? " (branch delay slot)" : "");
    if (code == EXC_MOD || (code >= EXC_TLBL && code <= EXC_ADES))
        kprintf(", address 0x%08x", badvaddr);
    kprintf(" (cause 0x%08x)\n", cause);
    for (int i = 1; i < 32; i++) {
        if (i == R_K0 || i == R_K1)
            continue;
        kprintf("%4s %08x%s", regnames[i], f->r[i], (i % 4 == 3) ? "\n" : "  ");
    }
    kprintf("  hi %08x    lo %08x\n", f->hi, f->lo);
    kputs("[kernel] power off (status 255)\n");
    power_off(255);
}

/*
 * sched.c - round-robin scheduling on the Count/Compare timer, sleeping,
 * ASID assignment and the idle loop.
 *
 * One kernel stack, no kernel threads: every exception runs to completion on
 * it and ends by choosing the process to resume. A process that blocks keeps
 * only its saved user frame; whoever wakes it writes the system call's result
 * into that frame.
 */
#include "kernel.h"

uint32_t ticks, tick_len = 50000;
int need_resched;
volatile int idling;
static struct proc *runq_head, *runq_tail;
static struct proc *sleepers;          /* sorted by wake tick, then FIFO */
static int last_pid;
static uint32_t asid_gen = 1, next_asid = 1;
static uint32_t cur_asid = 0;

void runq_add(struct proc *p)
{
    p->state = P_RUNNABLE;
    p->next = 0;
    if (runq_tail)
        runq_tail->next = p;
    else
        runq_head = p;
    runq_tail = p;
}

void runq_remove(struct proc *p)
{
    struct proc **pp = &runq_head, *prev = 0;
    for (; *pp; prev = *pp, pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            if (runq_tail == p)
                runq_tail = prev;
            p->next = 0;
            return;
        }
    }
}

static struct proc *runq_pop(void)
{
    struct proc *p = runq_head;
    if (p) {
        runq_head = p->next;
        if (!runq_head)
            runq_tail = 0;
        p->next = 0;
    }
    return p;
}

void sched_sleep(struct proc *p, uint32_t n)
{
    p->state = P_SLEEPING;
    p->wake_tick = ticks + n;
    struct proc **pp = &sleepers;
    while (*pp && (int32_t)((*pp)->wake_tick - p->wake_tick) <= 0)
        pp = &(*pp)->next;
    p->next = *pp;
    *pp = p;
    if (p == cur)
        cur = 0;
}

void sleep_remove(struct proc *p)
{
    for (struct proc **pp = &sleepers; *pp; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            p->next = 0;
            return;
        }
    }
}

/* The running process gives up the CPU without being runnable (wait). */
void sched_block_current(void)
{
    cur = 0;
}

void timer_init(void)
{
    write_c0_compare(read_c0_count() + tick_len);
}

/* IP7: the next tick is one tick_len after this one, or after now if we fell behind. */
void timer_interrupt(void)
{
    uint32_t next = read_c0_compare() + tick_len;
    if ((int32_t)(next - read_c0_count()) < 64)
        next = read_c0_count() + tick_len;
    write_c0_compare(next);
    ticks++;
    kstats.ticks++;
    while (sleepers && (int32_t)(sleepers->wake_tick - ticks) <= 0) {
        struct proc *p = sleepers;
        sleepers = p->next;
        runq_add(p);
    }
    if (cur)
        need_resched = 1;
}

static void assign_asid(struct proc *p)
{
    if (p->asid_gen == asid_gen)
        return;
    if (next_asid > 255) {
        /* Out of ASIDs: forget every user translation and start a generation. */
        tlb_flush_user();
        cur_asid = (uint32_t)-1;
        asid_gen++;
        kstats.asid_gens++;
        next_asid = 1;
    }
    p->asid = next_asid++;
    p->asid_gen = asid_gen;
}

static void switch_to(struct proc *p)
{
    assign_asid(p);
    if (p->asid != cur_asid) {
        write_c0_entryhi(p->asid);
        cur_asid = p->asid;
    }
    cur_pgtab = p->pgtab;
    cur_frame = &p->frame;
    p->state = P_RUNNING;
    if (p->pid != last_pid) {
        kstats.ctxsw++;
        last_pid = p->pid;
    }
}

/* The ASID in EntryHi now; tlb_update needs it for the current process. */
uint32_t current_asid(void)
{
    return cur_asid;
}

__attribute__((noreturn)) static void shutdown(void);

struct frame *schedule(void)
{
    if (cur && need_resched && runq_head) {
        if (need_resched == 1)
            kstats.timer_preempt++;
        runq_add(cur);
        cur = 0;
    }
    need_resched = 0;
    if (!cur) {
        cur = runq_pop();
        if (!cur) {
            if (nprocs_alive == 0)
                shutdown();
            idling = 1;
            idle_loop(opt_idle_wait);
        }
    }
    switch_to(cur);
    return &cur->frame;
}

/* The timer ended the idle loop (vectors.S reset the stack). */
struct frame *idle_interrupt(uint32_t cause)
{
    idling = 0;
    if (cause & CAUSE_IP7)
        timer_interrupt();
    return schedule();
}

static void shutdown(void)
{
    unsigned failed = report_exits();
    kprintf("[kernel] syscalls %u, context switches %u, timer ticks %u, demand-zero faults %u, "
            "processes %u, killed %u, asid generations %u, tlb refreshes %u, peak pages %u/%u\n",
            kstats.syscalls, kstats.ctxsw, kstats.ticks, kstats.demand_zero, kstats.spawned,
            kstats.killed, kstats.asid_gens + 1, kstats.tlb_refresh, mm_peak_pages(), mm_total_pages());
    (void)failed;
    kputs("[kernel] power off\n");
    power_off(0);
}

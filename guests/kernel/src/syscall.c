/*
 * syscall.c - system calls, Linux o32 convention and numbers where Linux has
 * the call (so guests/libc runs unchanged), and the kernel's own calls from
 * 6000 up (guests/kernel/user/avm.h).
 */
#include "kernel.h"

uint32_t current_asid(void);

#define SYS_exit         4001
#define SYS_read         4003
#define SYS_write        4004
#define SYS_waitpid      4007
#define SYS_getpid       4020
#define SYS_kill         4037
#define SYS_brk          4045
#define SYS_getppid      4064
#define SYS_sched_yield  4162
#define SYS_exit_group   4246
#define SYS_avm_spawn    6000
#define SYS_avm_sleep    6001
#define SYS_avm_ticks    6002

#define HEAP_GAP  0x10000u     /* brk stops this far below the stack region */

void set_result(struct frame *f, long r)
{
    if (r < 0 && r > -4096) {
        f->r[R_V0] = (uint32_t)-r;
        f->r[R_A3] = 1;
    } else {
        f->r[R_V0] = (uint32_t)r;
        f->r[R_A3] = 0;
    }
}

static long sys_write(struct proc *p, int fd, uint32_t buf, uint32_t len)
{
    if (fd != 1 && fd != 2)
        return -EBADF;
    uint32_t done = 0;
    while (done < len) {
        const char *s = user_page(p, buf + done, 0);
        if (!s)
            return done ? (long)done : -EFAULT;
        uint32_t chunk = PAGE_SIZE - ((buf + done) & (PAGE_SIZE - 1));
        if (chunk > len - done)
            chunk = len - done;
        kwrite(s, chunk);
        done += chunk;
    }
    return (long)done;
}

static long sys_read(struct proc *p, int fd, uint32_t buf, uint32_t len)
{
    if (fd != 0)
        return -EBADF;
    uint32_t done = 0;
    while (done < len) {
        int c = uart_getc();
        if (c < 0)
            break;
        char *d = user_page(p, buf + done, 1);
        if (!d)
            return done ? (long)done : -EFAULT;
        *d = (char)c;
        done++;
    }
    return (long)done;
}

/* brk(addr): the new break, or the unchanged one when addr is 0 or not allowed. */
static long sys_brk(struct proc *p, uint32_t addr)
{
    if (addr < p->heap_lo || addr > p->stack_lo - HEAP_GAP)
        return (long)p->brk;
    uint32_t old_top = PAGE_ROUND_UP(p->brk), new_top = PAGE_ROUND_UP(addr);
    if (new_top < old_top) {
        release_range(p, new_top, old_top);
        for (uint32_t va = new_top & ~0x1FFFu; va < old_top; va += 2 * PAGE_SIZE)
            tlb_update(va, current_asid(), &p->pgtab[va >> PAGE_SHIFT]);
    }
    p->brk = addr;
    return (long)addr;
}

static long sys_spawn(struct proc *p, uint32_t name_va, uint32_t argv_va)
{
    char name[NAME_LEN + 16];
    static char argbuf[ARG_BYTES];
    char *argv[MAX_ARGS];
    int argc = 0;
    int r = strncpy_from_user(p, name, name_va, sizeof name);
    if (r < 0)
        return r == -E2BIG ? -ENOENT : r;
    if (!argv_va) {
        argv[argc++] = name;
    } else {
        uint32_t used = 0;
        for (;;) {
            uint32_t s;
            if (copy_from_user(p, &s, argv_va + 4 * (uint32_t)argc, 4) < 0)
                return -EFAULT;
            if (!s)
                break;
            if (argc == MAX_ARGS)
                return -E2BIG;
            r = strncpy_from_user(p, argbuf + used, s, ARG_BYTES - used);
            if (r < 0)
                return r;
            argv[argc++] = argbuf + used;
            used += (uint32_t)r + 1;
        }
    }
    int err = 0;
    int pid = proc_spawn(name, argc, argv, p, &err);
    return pid < 0 ? -err : pid;
}

static long sys_kill(struct proc *p, int pid, int sig)
{
    struct proc *t = proc_by_pid(pid);
    if (!t || t->state == P_ZOMBIE)
        return -ESRCH;
    if (sig < 0 || sig > 31)
        return -EINVAL;
    if (sig == 0)
        return 0;
    kprintf("[kernel] pid %d (%s) killed by %s: kill() from pid %d\n", t->pid, t->name,
            signame(sig), p->pid);
    proc_kill(t, sig);
    return 0;
}

void do_syscall(struct proc *p, struct frame *f)
{
    uint32_t nr = f->r[R_V0];
    uint32_t a0 = f->r[R_A0], a1 = f->r[R_A1], a2 = f->r[R_A2];
    long r;
    f->epc += 4;
    switch (nr) {
    case SYS_exit:
    case SYS_exit_group:
        proc_exit(p, (int)((a0 & 0xFF) << 8));
        return;
    case SYS_write:
        r = sys_write(p, (int)a0, a1, a2);
        break;
    case SYS_read:
        r = sys_read(p, (int)a0, a1, a2);
        break;
    case SYS_getpid:
        r = p->pid;
        break;
    case SYS_getppid:
        r = p->parent ? p->parent->pid : 0;
        break;
    case SYS_brk:
        r = sys_brk(p, a0);
        break;
    case SYS_sched_yield:
        set_result(f, 0);
        if (p == cur)
            need_resched = 2;
        return;
    case SYS_waitpid: {
        int pid = (int)a0;
        if (pid < -1 || pid == 0)
            pid = -1;           /* no process groups: any child */
        if (!proc_wait(p, pid, a1, a2)) {
            p->state = P_WAITING;
            sched_block_current();
        }
        return;
    }
    case SYS_kill:
        r = sys_kill(p, (int)a0, (int)a1);
        if (p->state == P_FREE || p->state == P_ZOMBIE)
            return;            /* killed itself */
        break;
    case SYS_avm_spawn:
        r = sys_spawn(p, a0, a1);
        break;
    case SYS_avm_sleep:
        set_result(f, 0);
        if (a0 == 0)
            need_resched = 2;
        else
            sched_sleep(p, a0);
        return;
    case SYS_avm_ticks:
        r = (long)ticks;
        break;
    default:
        r = -ENOSYS;
        break;
    }
    set_result(f, r);
}

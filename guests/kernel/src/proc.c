/*
 * proc.c - processes: spawn (load an embedded ELF into a fresh address
 * space), exit, kill, and the record of processes the kernel itself reaps.
 */
#include "kernel.h"

struct proc procs[NPROC];
struct proc *cur;
uint32_t *cur_pgtab;
struct frame *cur_frame;
uint32_t nprocs_alive;
static int next_pid = 1;
extern char _kernel_end[];

/* ---- ELF32 little-endian MIPS executables ---- */
struct elf_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf_phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};
#define PT_LOAD 1
#define PF_W    2

static uint32_t make_pte(uint32_t pa, int writable)
{
    return (pa >> PAGE_SHIFT) << PTE_PFN_SHIFT | PTE_CACHED | PTE_V | (writable ? PTE_D : 0);
}

/* Pages at or above the end of the kernel image are the process's own. */
static int owned_page(uint32_t pte)
{
    return ((pte >> PTE_PFN_SHIFT) << PAGE_SHIFT) >= PADDR(_kernel_end);
}

void release_range(struct proc *p, uint32_t lo, uint32_t hi)
{
    for (uint32_t va = PAGE_ROUND_DOWN(lo); va < hi && va < USER_TOP; va += PAGE_SIZE) {
        uint32_t *pte = &p->pgtab[va >> PAGE_SHIFT];
        if ((*pte & PTE_V) && owned_page(*pte)) {
            page_free((*pte >> PTE_PFN_SHIFT) << PAGE_SHIFT);
            p->npages--;
        }
        *pte = 0;
    }
}

static void release_memory(struct proc *p)
{
    if (!p->pgtab)
        return;
    release_range(p, p->text_lo, p->text_hi);
    release_range(p, p->data_lo, p->data_hi);
    release_range(p, p->heap_lo, PAGE_ROUND_UP(p->brk));
    release_range(p, p->stack_lo, USER_TOP);
    pt_free(p->pgtab);
    p->pgtab = 0;
}

static int load_segment(struct proc *p, const struct program *prog, const struct elf_phdr *ph)
{
    const uint8_t *image = prog->image;
    uint32_t size = (uint32_t)(prog->image_end - image);
    uint32_t lo = PAGE_ROUND_DOWN(ph->vaddr);
    uint32_t end = ph->vaddr + ph->memsz;
    if (ph->filesz > ph->memsz || ph->offset > size || ph->filesz > size - ph->offset
        || end < ph->vaddr || end > STACK_LOW)
        return -ENOEXEC;
    uint32_t hi = PAGE_ROUND_UP(end);
    int writable = (ph->flags & PF_W) != 0;

    /* Widen the region first, so that release_memory finds every PTE set below
     * even if we run out of memory half way. */
    int share = opt_share_text && !writable && ph->memsz == ph->filesz
        && ((uintptr_t)image & (PAGE_SIZE - 1)) == 0 && ((ph->offset ^ ph->vaddr) & (PAGE_SIZE - 1)) == 0;
    uint32_t *region_lo = writable ? &p->data_lo : &p->text_lo;
    uint32_t *region_hi = writable ? &p->data_hi : &p->text_hi;
    if (!*region_hi || lo < *region_lo)
        *region_lo = lo;
    if (hi > *region_hi)
        *region_hi = hi;
    for (uint32_t va = lo; va < hi; va += PAGE_SIZE)
        if (p->pgtab[va >> PAGE_SHIFT])
            return -ENOEXEC;              /* two segments in one page */

    if (share) {
        /* Read-only and page-congruent: map the kernel image's own pages. */
        uint32_t pa = PADDR(image + ph->offset - (ph->vaddr - lo));
        for (uint32_t va = lo; va < hi; va += PAGE_SIZE, pa += PAGE_SIZE)
            p->pgtab[va >> PAGE_SHIFT] = make_pte(pa, 0);
        return 0;
    }

    /* Private copy of the file-backed pages; the rest of the bss is demand-zero. */
    uint32_t file_end = ph->vaddr + ph->filesz;
    for (uint32_t va = lo; va < file_end; va += PAGE_SIZE) {
        uint32_t pa = page_alloc();
        if (!pa)
            return -ENOMEM;
        p->pgtab[va >> PAGE_SHIFT] = make_pte(pa, writable);
        p->npages++;
        uint32_t from = va < ph->vaddr ? ph->vaddr : va;
        uint32_t to = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
        memcpy((uint8_t *)KSEG(pa) + (from - va), image + ph->offset + (from - ph->vaddr), to - from);
    }
    return 0;
}

static int load_elf(struct proc *p, const struct program *prog)
{
    const struct elf_ehdr *eh = (const struct elf_ehdr *)prog->image;
    uint32_t size = (uint32_t)(prog->image_end - prog->image);
    if (size < sizeof *eh || memcmp(eh->ident, "\177ELF\001\001", 6) != 0
        || eh->type != 2 || eh->machine != 8 || eh->phentsize != sizeof(struct elf_phdr)
        || eh->phoff > size || eh->phnum > (size - eh->phoff) / sizeof(struct elf_phdr))
        return -ENOEXEC;
    const struct elf_phdr *ph = (const struct elf_phdr *)(prog->image + eh->phoff);
    uint32_t top = 0;
    for (unsigned i = 0; i < eh->phnum; i++) {
        if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
            continue;
        int r = load_segment(p, prog, &ph[i]);
        if (r < 0)
            return r;
        if (ph[i].vaddr + ph[i].memsz > top)
            top = ph[i].vaddr + ph[i].memsz;
    }
    if (!top || eh->entry >= top)
        return -ENOEXEC;
    p->heap_lo = p->brk = PAGE_ROUND_UP(top);
    p->stack_lo = STACK_LOW;
    p->frame.epc = eh->entry;
    return 0;
}

/*
 * The Linux initial stack at USER_TOP: argc, argv[], NULL, envp NULL,
 * auxv { AT_PAGESZ, 4096 }, { AT_NULL, 0 }, then the strings.
 */
static int build_stack(struct proc *p, int argc, char *const argv[])
{
    uint32_t strbytes = 0;
    for (int i = 0; i < argc; i++)
        strbytes += (uint32_t)strlen(argv[i]) + 1;
    uint32_t str_va = (USER_TOP - strbytes) & ~3u;
    uint32_t nwords = 1 + (uint32_t)argc + 1 + 1 + 4;
    uint32_t sp = (str_va - nwords * 4) & ~15u;
    uint32_t words[1 + MAX_ARGS + 1 + 1 + 4];
    uint32_t n = 0, s = str_va;
    for (uint32_t va = PAGE_ROUND_DOWN(sp); va < USER_TOP; va += PAGE_SIZE) {
        uint32_t pa = page_alloc();
        if (!pa)
            return -ENOMEM;
        p->pgtab[va >> PAGE_SHIFT] = make_pte(pa, 1);
        p->npages++;
    }
    words[n++] = (uint32_t)argc;
    for (int i = 0; i < argc; i++) {
        uint32_t len = (uint32_t)strlen(argv[i]) + 1;
        if (copy_to_user(p, s, argv[i], len) < 0)
            return -ENOMEM;
        words[n++] = s;
        s += len;
    }
    words[n++] = 0;          /* argv terminator */
    words[n++] = 0;          /* empty environment */
    words[n++] = 6;          /* AT_PAGESZ */
    words[n++] = PAGE_SIZE;
    words[n++] = 0;          /* AT_NULL */
    words[n++] = 0;
    if (copy_to_user(p, sp, words, n * 4) < 0)
        return -ENOMEM;
    p->frame.r[R_SP] = sp;
    return 0;
}

int proc_spawn(const char *name, int argc, char *const argv[], struct proc *parent, int *err)
{
    const struct program *prog = find_program(name);
    if (!prog) {
        *err = ENOENT;
        return -1;
    }
    if (argc > MAX_ARGS) {
        *err = E2BIG;
        return -1;
    }
    struct proc *p = 0;
    for (unsigned i = 0; i < NPROC; i++) {
        if (procs[i].state == P_FREE) {
            p = &procs[i];
            break;
        }
    }
    if (!p) {
        *err = EAGAIN;
        return -1;
    }
    memset(p, 0, sizeof *p);
    p->pgtab = pt_alloc();
    if (!p->pgtab) {
        *err = ENOMEM;
        return -1;
    }
    strncpy_z(p->name, prog->name, NAME_LEN);
    int r = load_elf(p, prog);
    if (r == 0)
        r = build_stack(p, argc, argv);
    if (r < 0) {
        release_memory(p);
        p->state = P_FREE;
        *err = -r;
        return -1;
    }
    p->parent = parent;
    p->pid = next_pid++;
    nprocs_alive++;
    kstats.spawned++;
    runq_add(p);
    if (opt_verbose)
        kprintf("[kernel] spawn pid %d (%s), parent %d\n", p->pid, p->name, parent ? parent->pid : 0);
    return p->pid;
}

struct proc *proc_by_pid(int pid)
{
    for (unsigned i = 0; i < NPROC; i++)
        if (procs[i].state != P_FREE && procs[i].pid == pid)
            return &procs[i];
    return 0;
}

/* ---- processes reaped by the kernel, reported at power-off ---- */
#define NRECORDS 64
struct record {
    int pid;
    int status;
    char name[NAME_LEN];
};
static struct record records[NRECORDS];
static unsigned nrecords, nrecords_dropped;

static void record_exit(struct proc *p)
{
    if (nrecords == NRECORDS) {
        nrecords_dropped++;
        return;
    }
    struct record *r = &records[nrecords++];
    r->pid = p->pid;
    r->status = p->wait_status;
    strncpy_z(r->name, p->name, NAME_LEN);
}

const char *signame(int sig)
{
    switch (sig) {
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGBUS: return "SIGBUS";
    case SIGSEGV: return "SIGSEGV";
    default: return "signal";
    }
}

/* The report, in pid order; returns how many did not exit with status 0. */
unsigned report_exits(void)
{
    unsigned bad = 0;
    for (unsigned i = 1; i < nrecords; i++) {       /* insertion sort by pid */
        struct record r = records[i];
        unsigned j = i;
        for (; j > 0 && records[j - 1].pid > r.pid; j--)
            records[j] = records[j - 1];
        records[j] = r;
    }
    for (unsigned i = 0; i < nrecords; i++) {
        struct record *r = &records[i];
        if ((r->status & 0x7F) == 0) {
            kprintf("[kernel] pid %d (%s) exited with status %d\n", r->pid, r->name, (r->status >> 8) & 0xFF);
            if (r->status)
                bad++;
        } else {
            kprintf("[kernel] pid %d (%s) killed by signal %d (%s)\n", r->pid, r->name,
                    r->status & 0x7F, signame(r->status & 0x7F));
            bad++;
        }
    }
    if (nrecords_dropped)
        kprintf("[kernel] ... and %u more processes\n", nrecords_dropped);
    return bad;
}

/* ---- exit ---- */
static void free_slot(struct proc *p)
{
    p->state = P_FREE;
    p->pid = 0;
}

/* Hand a zombie child's status to its waiting parent and finish the wait. */
static void complete_wait(struct proc *parent, struct proc *child)
{
    if (parent->wait_status_va) {
        int32_t st = child->wait_status;
        if (copy_to_user(parent, parent->wait_status_va, &st, 4) < 0) {
            set_result(&parent->frame, -EFAULT);
            return;
        }
    }
    set_result(&parent->frame, child->pid);
}

static int wait_matches(struct proc *parent, struct proc *child)
{
    return parent->state == P_WAITING && (parent->wait_pid == -1 || parent->wait_pid == child->pid);
}

void proc_exit(struct proc *p, int wait_status)
{
    if (p->state == P_RUNNABLE)
        runq_remove(p);
    else if (p->state == P_SLEEPING)
        sleep_remove(p);
    release_memory(p);
    p->wait_status = wait_status;
    nprocs_alive--;
    if (opt_verbose)
        kprintf("[kernel] exit pid %d (%s), wait status 0x%x, %u syscalls, %u demand-zero faults\n",
                p->pid, p->name, (uint32_t)wait_status, p->nsyscalls, p->nfaults);
    if (p == cur)
        cur = 0;

    /* Orphans: live children now belong to the kernel; zombies are reaped. */
    for (unsigned i = 0; i < NPROC; i++) {
        struct proc *c = &procs[i];
        if (c->state == P_FREE || c->parent != p)
            continue;
        c->parent = 0;
        if (c->state == P_ZOMBIE) {
            record_exit(c);
            free_slot(c);
        }
    }

    struct proc *parent = p->parent;
    if (!parent) {
        record_exit(p);
        free_slot(p);
    } else if (wait_matches(parent, p)) {
        complete_wait(parent, p);
        parent->state = P_RUNNABLE;
        runq_add(parent);
        free_slot(p);
    } else {
        p->state = P_ZOMBIE;
    }
}

/* waitpid(pid, &status, options) for p: 1 when done (result set), 0 to block. */
int proc_wait(struct proc *p, int pid, uint32_t status_va, uint32_t options)
{
    int have_child = 0;
    for (unsigned i = 0; i < NPROC; i++) {
        struct proc *c = &procs[i];
        if (c->state == P_FREE || c->parent != p || (pid != -1 && c->pid != pid))
            continue;
        have_child = 1;
        if (c->state == P_ZOMBIE) {
            p->wait_status_va = status_va;
            complete_wait(p, c);
            free_slot(c);
            return 1;
        }
    }
    if (!have_child) {
        set_result(&p->frame, -ECHILD);
        return 1;
    }
    if (options & 1) {           /* WNOHANG */
        set_result(&p->frame, 0);
        return 1;
    }
    p->wait_pid = pid;
    p->wait_status_va = status_va;
    return 0;
}

/* The caller has said why on the console. */
void proc_kill(struct proc *p, int sig)
{
    kstats.killed++;
    proc_exit(p, sig);
}

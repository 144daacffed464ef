/*
 * main.c - boot: check the boot contract, take over the exception vectors,
 * parse the command line, start the workload.
 */
#include "kernel.h"

struct kstats kstats;
int opt_idle_wait = 1;
int opt_verbose;
int opt_share_text = 1;
extern char vector_page[];

/* ---- workloads ---- */
struct workload {
    const char *name;
    const char *programs;       /* the run= list it stands for */
};

static const struct workload workloads[] = {
    { "demo", "compute,syscalls,memory,preempt,fault,sleeper" },
};

#define MAX_STARTS 16
struct start {
    char spec[64];              /* program[:arg...] */
};
static struct start starts[MAX_STARTS];
static unsigned nstarts;
static char cmdline_copy[1025];

static void add_start(const char *spec, size_t len)
{
    if (len == 0)
        return;
    for (unsigned i = 0; i < ARRAY_SIZE(workloads); i++) {
        size_t n = strlen(workloads[i].name);
        if (n == len && strncmp(spec, workloads[i].name, len) == 0) {
            const char *s = workloads[i].programs;
            while (*s) {
                const char *e = s;
                while (*e && *e != ',')
                    e++;
                add_start(s, (size_t)(e - s));
                s = *e ? e + 1 : e;
            }
            return;
        }
    }
    if (nstarts == MAX_STARTS || len >= sizeof starts[0].spec) {
        kputs("[kernel] warning: too many or too long run= entries, some ignored\n");
        return;
    }
    memcpy(starts[nstarts].spec, spec, len);
    starts[nstarts].spec[len] = 0;
    nstarts++;
}

static void parse_option(char *opt)
{
    char *val = opt;
    while (*val && *val != '=')
        val++;
    int has_val = *val == '=';
    if (has_val)
        *val++ = 0;
    if (strcmp(opt, "run") == 0 && has_val) {
        while (*val) {
            char *e = val;
            while (*e && *e != ',')
                e++;
            add_start(val, (size_t)(e - val));
            val = *e ? e + 1 : e;
        }
    } else if (strcmp(opt, "idle") == 0 && has_val) {
        if (strcmp(val, "wait") == 0)
            opt_idle_wait = 1;
        else if (strcmp(val, "spin") == 0)
            opt_idle_wait = 0;
        else
            kprintf("[kernel] warning: idle=%s is neither wait nor spin; using idle=%s\n", val,
                    opt_idle_wait ? "wait" : "spin");
    } else if (strcmp(opt, "tick") == 0 && has_val) {
        uint32_t v;
        if (parse_uint(val, &v) && v >= 1000)
            tick_len = v;
        else
            kprintf("[kernel] warning: tick=%s is not a number >= 1000; using tick=%u\n", val, tick_len);
    } else if (strcmp(opt, "text") == 0 && has_val) {
        if (strcmp(val, "share") == 0)
            opt_share_text = 1;
        else if (strcmp(val, "copy") == 0)
            opt_share_text = 0;
        else
            kprintf("[kernel] warning: text=%s is neither share nor copy; using text=%s\n", val,
                    opt_share_text ? "share" : "copy");
    } else if (strcmp(opt, "verbose") == 0 && !has_val) {
        opt_verbose = 1;
    } else if (strcmp(opt, "test") == 0 && has_val && strcmp(val, "panic") == 0) {
        /* Above any RAM the ksseg window can map (at most 256 MB), in ksseg so that
         * supervisor mode may try it too: refill, invalid entry, panic. */
        kputs("[kernel] test=panic: loading from an unmapped kernel address\n");
        (void)*(volatile uint32_t *)0xD0000000u;
    } else {
        if (has_val)
            val[-1] = '=';
        kprintf("[kernel] warning: unknown option '%s' ignored\n", opt);
    }
}

static void parse_cmdline(const char *cmdline)
{
    strncpy_z(cmdline_copy, cmdline, sizeof cmdline_copy);
    char *s = cmdline_copy;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        char *e = s;
        while (*e && *e != ' ')
            e++;
        int last = !*e;
        *e = 0;
        parse_option(s);
        s = last ? e : e + 1;
    }
}

static void start_programs(void)
{
    if (nstarts == 0)
        add_start("demo", 4);
    kputs("[kernel] run:");
    for (unsigned i = 0; i < nstarts; i++)
        kprintf(" %s", starts[i].spec);
    kputc('\n');
    for (unsigned i = 0; i < nstarts; i++) {
        char *argv[MAX_ARGS];
        int argc = 0;
        char *s = starts[i].spec;
        while (*s && argc < MAX_ARGS) {
            argv[argc++] = s;
            while (*s && *s != ':')
                s++;
            if (*s)
                *s++ = 0;
        }
        int err = 0;
        if (proc_spawn(argv[0], argc, argv, 0, &err) < 0)
            kprintf("[kernel] cannot start '%s': %s\n", argv[0],
                    err == ENOENT ? "no such program" : err == ENOMEM ? "out of memory" : "error");
    }
}

static void install_vectors(void)
{
    uint32_t base = (uint32_t)(uintptr_t)vector_page;
    /* Set the write gate first, then the base with the gate still set. */
    write_c0_ebase((read_c0_ebase() & 0x3FFFF000u) | EBASE_WG);
    write_c0_ebase(base | EBASE_WG);
    if ((read_c0_ebase() & 0xFFFFF000u) != base)
        panic("EBase reads 0x%08x after writing 0x%08x with the write gate set", read_c0_ebase(),
              base | EBASE_WG);
    write_c0_cause(0);                                  /* IV = 0: interrupts at +0x180 */
    write_c0_status(ST_IM7);                            /* BEV = 0, kernel, interrupts off */
}

void kmain(uint32_t mem_size, struct boot_info *bi)
{
#ifdef PARAVIRT
    pv_init();                    /* PV: find the monitor and patch the paravirtual sites first */
    con_init();
#endif
    if (bi->magic != BOOT_INFO_MAGIC || bi->version != 1)
        panic("no boot_info at 0x%08x", (uint32_t)(uintptr_t)bi);
    if (bi->ksseg_base != KSSEG_BASE || bi->device_va != DEVICE_VA)
        panic("boot_info maps RAM at 0x%08x and devices at 0x%08x; this kernel is linked for 0x%08x and 0x%08x",
              bi->ksseg_base, bi->device_va, KSSEG_BASE, DEVICE_VA);
    (void)mem_size;
    tlb_init();
    write_c0_context(0);          /* PTEBase = 0: Context >> 1 is the PTE pair's offset */
    write_c0_pagemask(0);
    install_vectors();
    mm_init(bi->free_start, bi->mem_size);

    kprintf("[kernel] ActorVmm guest kernel: %u KB RAM, %u free pages, TLB %u entries (%u wired)\n",
            bi->mem_size >> 10, mm_free_pages(), tlb_size, tlb_wired);
    parse_cmdline((const char *)(uintptr_t)bi->cmdline);
    kprintf("[kernel] tick %u, idle=%s, text=%s\n", tick_len, opt_idle_wait ? "wait" : "spin",
            opt_share_text ? "share" : "copy");
    start_programs();
    timer_init();
    resume_user(schedule());
}

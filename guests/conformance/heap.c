/* heap.c - malloc/free/calloc/realloc churn: thousands of operations with
 * pseudo-random sizes, every block filled with a pattern and checked before
 * it is freed. */
#include "conf.h"

#define SLOTS 256

struct slot {
    uint8_t *p;
    size_t n;
    uint8_t tag;
};

static struct slot slots[SLOTS];

static void fill(struct slot *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->p[i] = (uint8_t)(s->tag + i);
}

static int verify(const struct slot *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i] != (uint8_t)(s->tag + i))
            return 0;
    return 1;
}

int main(void)
{
    unsigned allocs = 0, frees = 0, reallocs = 0, bad = 0;
    size_t peak = 0, live = 0;
    for (int op = 0; op < 20000; op++) {
        uint32_t r = rnd();
        struct slot *s = &slots[r % SLOTS];
        if (s->p && (r & 0x300) == 0x300) {
            size_t n = (r >> 12) % 3000 + 1;
            if (!verify(s))
                bad++;
            uint8_t *q = realloc(s->p, n);
            if (!q) {
                bad++;
                continue;
            }
            size_t keep = n < s->n ? n : s->n;
            for (size_t i = 0; i < keep; i++)
                if (q[i] != (uint8_t)(s->tag + i))
                    bad++;
            live += n - s->n;
            s->p = q;
            s->n = n;
            fill(s);
            reallocs++;
        } else if (s->p) {
            if (!verify(s))
                bad++;
            free(s->p);
            live -= s->n;
            s->p = 0;
            frees++;
        } else {
            size_t n = (r >> 8) % ((r & 1) ? 64 : 4000) + 1;
            s->p = (r & 2) ? calloc(n, 1) : malloc(n);
            if (!s->p) {
                bad++;
                continue;
            }
            if (r & 2)
                for (size_t i = 0; i < n; i++)
                    if (s->p[i])
                        bad++;
            if (((uintptr_t)s->p & 7) != 0)
                bad++;
            s->n = n;
            s->tag = (uint8_t)(r >> 24);
            fill(s);
            live += n;
            allocs++;
        }
        if (live > peak)
            peak = live;
    }
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].p) {
            if (!verify(&slots[i]))
                bad++;
            free(slots[i].p);
            frees++;
        }
    }
    printf("allocs=%u frees=%u reallocs=%u peak_live=%u bad=%u\n", allocs, frees, reallocs,
           (unsigned)peak, bad);
    CHECK_EQ(bad, 0);

    /* one big block after the churn: the free list must coalesce */
    void *big = malloc(1 << 20);
    printf("1 MB malloc: %s\n", big ? "ok" : "failed");
    CHECK(big != 0);
    if (big) {
        memset(big, 0x5a, 1 << 20);
        free(big);
    }
    printf("malloc(0) freeable, free(NULL) ok\n");
    free(malloc(0));
    free(0);
    mix32(allocs);
    mix32(frees);
    mix32((uint32_t)peak);
    return conf_done("heap");
}

/* funcptr.c - indirect calls (jalr) through tables, callbacks, returned
 * function pointers and a hand-made vtable; qsort with several comparators. */
#include "conf.h"

typedef uint32_t (*binop)(uint32_t, uint32_t);

static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - b; }
static uint32_t op_mul(uint32_t a, uint32_t b) { return a * b; }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ b; }
static uint32_t op_rot(uint32_t a, uint32_t b) { b &= 31; return b ? (a << b) | (a >> (32 - b)) : a; }

static const binop table[] = { op_add, op_sub, op_mul, op_xor, op_rot };
static const char *const names[] = { "add", "sub", "mul", "xor", "rot" };

static binop pick(unsigned i) { return table[i % 5]; }

static uint32_t fold(const uint32_t *v, int n, binop f, uint32_t init)
{
    uint32_t acc = init;
    for (int i = 0; i < n; i++)
        acc = f(acc, v[i]);
    return acc;
}

struct shape;
struct shape_ops {
    const char *name;
    uint32_t (*area)(const struct shape *);
    uint32_t (*perimeter)(const struct shape *);
};
struct shape {
    const struct shape_ops *ops;
    uint32_t a, b;
};
static uint32_t rect_area(const struct shape *s) { return s->a * s->b; }
static uint32_t rect_perim(const struct shape *s) { return 2 * (s->a + s->b); }
static uint32_t sq_area(const struct shape *s) { return s->a * s->a; }
static uint32_t sq_perim(const struct shape *s) { return 4 * s->a; }
static uint32_t tri_area(const struct shape *s) { return s->a * s->b / 2; }
static uint32_t tri_perim(const struct shape *s) { return s->a + s->b + s->a; }
static const struct shape_ops rect_ops = { "rect", rect_area, rect_perim };
static const struct shape_ops sq_ops = { "square", sq_area, sq_perim };
static const struct shape_ops tri_ops = { "triangle", tri_area, tri_perim };

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}
static int cmp_u32_desc(const void *a, const void *b) { return cmp_u32(b, a); }
static int cmp_low_byte(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a & 0xff, y = *(const uint32_t *)b & 0xff;
    if (x != y)
        return (x > y) - (x < y);
    return cmp_u32(a, b);
}

int main(void)
{
    uint32_t v[50];
    for (int i = 0; i < 50; i++)
        v[i] = rnd();
    for (unsigned i = 0; i < 5; i++) {
        binop f = pick(OPQ(i));
        uint32_t r = fold(v, 50, f, i);
        printf("fold %s = %08x\n", names[i], r);
        mix32(r);
    }

    struct shape shapes[] = {
        { &rect_ops, 3, 4 }, { &sq_ops, 5, 0 }, { &tri_ops, 6, 8 }, { &rect_ops, 10, 20 },
    };
    for (unsigned i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const struct shape *s = &shapes[i];
        printf("%-8s area=%u perimeter=%u\n", s->ops->name, s->ops->area(s), s->ops->perimeter(s));
    }

    int (*cmps[])(const void *, const void *) = { cmp_u32, cmp_u32_desc, cmp_low_byte };
    for (int c = 0; c < 3; c++) {
        uint32_t w[50];
        memcpy(w, v, sizeof w);
        qsort(w, 50, sizeof w[0], cmps[c]);
        int sorted = 1;
        for (int i = 1; i < 50; i++)
            if (cmps[c](&w[i - 1], &w[i]) > 0)
                sorted = 0;
        printf("qsort cmp%d: sorted=%d first=%08x last=%08x\n", c, sorted, w[0], w[49]);
        CHECK(sorted);
        for (int i = 0; i < 50; i++)
            mix32(w[i]);
    }
    uint32_t key = v[17];
    qsort(v, 50, sizeof v[0], cmp_u32);
    uint32_t *hit = bsearch(&key, v, 50, sizeof v[0], cmp_u32);
    printf("bsearch found=%d index=%d\n", hit != 0, hit ? (int)(hit - v) : -1);
    return conf_done("funcptr");
}

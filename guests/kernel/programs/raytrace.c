/*
 * raytrace - compute bound: a fixed-point (16.16) ray tracer of a tiny scene
 * (four spheres over a checkerboard, one light, shadows, two levels of
 * reflection). Prints the image as ASCII art and a checksum of the 8-bit
 * luminance image. Integer only; Linux calls only, so qemu-mipsel is its
 * oracle.
 *   raytrace [width] [height]          defaults: 160 120
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef int32_t fx;
#define ONE    65536
#define I(n)   ((fx)((n) * ONE))
#define M(n)   ((fx)(((int64_t)(n) * ONE) / 1000))      /* thousandths */

typedef struct { fx x, y, z; } v3;

static inline fx mul(fx a, fx b) { return (fx)(((int64_t)a * b) >> 16); }
static fx divx(fx a, fx b) { return (fx)(((int64_t)a * ONE) / b); }
static inline v3 vec(fx x, fx y, fx z) { v3 r = { x, y, z }; return r; }
static inline v3 add(v3 a, v3 b) { return vec(a.x + b.x, a.y + b.y, a.z + b.z); }
static inline v3 sub(v3 a, v3 b) { return vec(a.x - b.x, a.y - b.y, a.z - b.z); }
static inline v3 scale(v3 a, fx s) { return vec(mul(a.x, s), mul(a.y, s), mul(a.z, s)); }
static inline fx dot(v3 a, v3 b) { return mul(a.x, b.x) + mul(a.y, b.y) + mul(a.z, b.z); }

static uint32_t isqrt32(uint32_t x)
{
    uint32_t r = 0, bit = 1u << 30;
    while (bit > x)
        bit >>= 2;
    while (bit) {
        if (x >= r + bit) {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

/* sqrt of a 16.16 value: sqrt(a) * 256, as precisely as 32 bits allow. */
static fx fsqrt(fx a)
{
    if (a <= 0)
        return 0;
    if (a < (1 << 16))
        return (fx)isqrt32((uint32_t)a << 16);
    if (a < (1 << 24))
        return (fx)(isqrt32((uint32_t)a << 8) << 4);
    return (fx)(isqrt32((uint32_t)a) << 8);
}

static v3 normalize(v3 a)
{
    fx len = fsqrt(dot(a, a));
    return len ? scale(a, divx(ONE, len)) : a;
}

struct sphere {
    v3 c;
    fx r, r2, inv_r, albedo, reflect;
};

static struct sphere spheres[] = {
    { { M(-1100), M(1000), M(2500) }, M(1000), 0, 0, M(900), M(400) },
    { { M(1200), M(750), M(2000) }, M(750), 0, 0, M(700), M(200) },
    { { M(200), M(350), M(900) }, M(350), 0, 0, M(1000), 0 },
    { { M(2500), M(1500), M(5000) }, M(1500), 0, 0, M(600), M(500) },
};
#define NSPHERES 4
#define EPS      M(2)
#define AMBIENT  M(120)
static v3 light;

static fx hit_sphere(const struct sphere *s, v3 o, v3 d)
{
    v3 oc = sub(o, s->c);
    fx b = dot(oc, d);
    fx c = dot(oc, oc) - s->r2;
    fx disc = mul(b, b) - c;
    if (disc < 0)
        return -1;
    fx sq = fsqrt(disc);
    fx t = -b - sq;
    if (t > EPS)
        return t;
    t = -b + sq;
    return t > EPS ? t : -1;
}

static fx trace(v3 o, v3 d, int depth)
{
    fx best = I(1000);
    int hit = -1;
    for (int i = 0; i < NSPHERES; i++) {
        fx t = hit_sphere(&spheres[i], o, d);
        if (t > 0 && t < best) {
            best = t;
            hit = i;
        }
    }
    if (d.y < -M(1)) {
        fx t = divx(-o.y, d.y);
        if (t > EPS && t < best) {
            best = t;
            hit = NSPHERES;
        }
    }
    if (hit < 0) {
        fx sky = M(250) + mul(d.y, M(600));
        return sky < 0 ? 0 : sky;
    }
    v3 p = add(o, scale(d, best));
    v3 n;
    fx albedo, reflect;
    if (hit < NSPHERES) {
        n = scale(sub(p, spheres[hit].c), spheres[hit].inv_r);
        albedo = spheres[hit].albedo;
        reflect = spheres[hit].reflect;
    } else {
        n = vec(0, ONE, 0);
        albedo = (((p.x >> 16) + (p.z >> 16)) & 1) ? M(900) : M(250);
        reflect = 0;
    }
    fx diffuse = dot(n, light);
    if (diffuse < 0)
        diffuse = 0;
    v3 q = add(p, scale(n, EPS));
    if (diffuse > 0)
        for (int i = 0; i < NSPHERES; i++)
            if (hit_sphere(&spheres[i], q, light) > 0) {
                diffuse = 0;
                break;
            }
    fx color = mul(albedo, AMBIENT + mul(ONE - AMBIENT, diffuse));
    if (reflect > 0 && depth < 2) {
        v3 r = sub(d, scale(n, 2 * dot(d, n)));
        color = mul(color, ONE - reflect) + mul(trace(q, r, depth + 1), reflect);
    }
    return color;
}

int main(int argc, char **argv)
{
    int w = argc > 1 ? atoi(argv[1]) : 160;
    int h = argc > 2 ? atoi(argv[2]) : 120;
    if (w < 64 || h < 24 || w > 4096 || h > 4096)
        return 2;
    uint8_t *img = malloc((size_t)w * (size_t)h);
    if (!img)
        return 1;
    for (int i = 0; i < NSPHERES; i++) {
        spheres[i].r2 = mul(spheres[i].r, spheres[i].r);
        spheres[i].inv_r = divx(ONE, spheres[i].r);
    }
    light = normalize(vec(M(-500), M(1000), M(-600)));
    v3 eye = vec(0, M(1000), M(-3000));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            fx sx = (fx)(((int64_t)(2 * x + 1 - w) * ONE) / h);
            fx sy = (fx)(((int64_t)(h - 2 * y - 1) * ONE) / h);
            v3 d = normalize(vec(sx, sy, M(1500)));
            fx c = trace(eye, d, 0);
            if (c < 0)
                c = 0;
            if (c > ONE - 1)
                c = ONE - 1;
            img[y * w + x] = (uint8_t)((c * 255) >> 16);
        }

    static const char ramp[] = " .:-=+*#%@";
    uint32_t hash = 2166136261u, sum = 0;
    for (int i = 0; i < w * h; i++) {
        hash = (hash ^ img[i]) * 16777619u;
        sum += img[i];
    }
    for (int cy = 0; cy < 24; cy++) {
        char line[66];
        for (int cx = 0; cx < 64; cx++) {
            int x0 = cx * w / 64, x1 = (cx + 1) * w / 64, y0 = cy * h / 24, y1 = (cy + 1) * h / 24;
            uint32_t s = 0, n = 0;
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++, n++)
                    s += img[y * w + x];
            line[cx] = ramp[(s / n) * 10 / 256];
        }
        line[64] = 0;
        printf("raytrace: |%s|\n", line);
    }
    printf("raytrace: %dx%d pixels, mean luminance %u, checksum %08x\n", w, h, sum / (uint32_t)(w * h), hash);
    free(img);
    return 0;
}

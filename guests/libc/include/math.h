/* math.h - declarations only, so that csmith's safe_math.h (whose float
 * helpers are static and never called when csmith runs without --float)
 * compiles. The guests are integer-only (-msoft-float; Debian's mipsel
 * libgcc has no soft-float routines that match), so nothing here is
 * implemented except the bit-twiddling fabs/fabsf. */
#ifndef _MATH_H
#define _MATH_H

#define HUGE_VAL  (__builtin_huge_val())
#define HUGE_VALF (__builtin_huge_valf())
#define INFINITY  (__builtin_inff())
#define NAN       (__builtin_nanf(""))

static inline double fabs(double x) { return __builtin_fabs(x); }
static inline float fabsf(float x) { return __builtin_fabsf(x); }
double ldexp(double x, int exp);
float ldexpf(float x, int exp);

#endif

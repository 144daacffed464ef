#!/bin/sh
# build.sh SEED OUTDIR - generate csmith program SEED and build it for the
# guest (freestanding, against guests/libc); print the ELF's path.
#
#   OUTDIR/csmith-SEED.c     the generated program
#   OUTDIR/csmith-SEED.elf   the guest (stdout: "checksum = XXXXXXXX")
#
# The optimisation level rotates with the seed: -O0 -O1 -O2 -Os for
# SEED mod 4 = 0 1 2 3. The result depends only on SEED (no paths, no -g,
# no timestamps), so the same seed always gives the same bytes.
#
# Environment: CROSS (default mipsel-linux-gnu-), CSMITH (default csmith),
# CSMITH_INC (default /usr/include/csmith), LIBC_BUILD (where to build the
# libc, default guests/build).
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 SEED OUTDIR" >&2
    exit 2
fi
SEED=$1
OUTDIR=$2
case "$SEED" in ''|*[!0-9]*) echo "$0: SEED must be a non-negative integer" >&2; exit 2 ;; esac

HERE=$(cd "$(dirname "$0")" && pwd)
GUESTS=$(cd "$HERE/.." && pwd)
CROSS=${CROSS:-mipsel-linux-gnu-}
CC=${CROSS}gcc
CSMITH=${CSMITH:-csmith}
CSMITH_INC=${CSMITH_INC:-/usr/include/csmith}
LIBC_BUILD=${LIBC_BUILD:-$GUESTS/build}
case "$LIBC_BUILD" in /*) ;; *) LIBC_BUILD=$PWD/$LIBC_BUILD ;; esac

# Small, quickly terminating programs: few functions, shallow blocks,
# modest expressions and arrays. (csmith generates no floating point
# unless --float is given.) --no-packed-struct: csmith takes the address
# of packed int32_t members (int32_t *p = &s.f1) and dereferences it, which
# is fine on x86 but an unaligned lw -> SIGBUS on MIPS (seed 185 did that).
CSMITH_OPTS="--no-packed-struct --max-funcs 4 --max-block-depth 3 \
--max-block-size 4 --max-expr-complexity 6 --max-array-dim 2 \
--max-array-len-per-dim 6 --max-struct-fields 6 --max-union-fields 4 \
--max-pointer-depth 2"

case $((SEED % 4)) in
    0) OPT=-O0 ;;
    1) OPT=-O1 ;;
    2) OPT=-O2 ;;
    3) OPT=-Os ;;
esac

# The libc (make is quiet when it is up to date). flock serialises
# concurrent build.sh runs that share one LIBC_BUILD.
mkdir -p "$LIBC_BUILD"
if command -v flock >/dev/null 2>&1; then
    flock "$LIBC_BUILD/.libc.lock" make -s -C "$GUESTS" BUILD="$LIBC_BUILD" libc >&2
else
    make -s -C "$GUESTS" BUILD="$LIBC_BUILD" libc >&2
fi

mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
SRC=csmith-$SEED.c
ELF=csmith-$SEED.elf

cd "$OUTDIR"
# shellcheck disable=SC2086
"$CSMITH" --seed "$SEED" $CSMITH_OPTS > "$SRC.tmp"
mv "$SRC.tmp" "$SRC"

GCCINC=$("$CC" -print-file-name=include)
# -w: csmith code is deliberately odd; warnings are noise here.
# shellcheck disable=SC2086
"$CC" -march=mips32r2 -EL -msoft-float -mno-abicalls -fno-pic -G0 \
    -ffreestanding -nostdinc -isystem "$GCCINC" -I"$GUESTS/libc/include" \
    -I"$CSMITH_INC" -std=gnu11 -w $OPT \
    -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
    -nostdlib -static -no-pie -T "$GUESTS/link/user.ld" \
    -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,--no-warn-mismatch \
    -Wl,--orphan-handling=error \
    -o "$ELF.tmp" "$LIBC_BUILD/libc/crt0.o" "$SRC" "$LIBC_BUILD/libc/libc.a" -lgcc
mv "$ELF.tmp" "$ELF"
echo "$OUTDIR/$ELF"

#!/bin/sh
# isa-coverage.sh - which MIPS instructions the built guests contain, and
# how often (static counts, objdump with aliases off).
#   tools/isa-coverage.sh [elf-or-object ...]   default: all conformance ELFs
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OBJDUMP=${OBJDUMP:-mipsel-linux-gnu-objdump}
[ $# -gt 0 ] || set -- "$BUILD"/conformance/*.elf "$BUILD"/conformance/asm/*.elf
for f in "$@"; do
    $OBJDUMP -d --no-show-raw-insn -M no-aliases "$f" |
        awk -F'\t' 'NF >= 2 && $1 ~ /^ +[0-9a-f]+:$/ { split($2, a, " "); print a[1] }'
done | sort | uniq -c | sort -rn | awk '{ printf "%8d %s\n", $1, $2 }'

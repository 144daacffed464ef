#!/bin/sh
# qemu-check.sh - run every built guest under qemu-mipsel (the oracle) and
# compare stdout, stderr and exit status:
#   - the -O0, -O2 and -Os builds of each C program with each other, and
#   - every program with the recorded conformance/expected/ files.
# With --record, (re)write conformance/expected/ instead of comparing to it.
#
# Environment: BUILD (default build), QEMU (default "qemu-mipsel -cpu 24Kc":
# the 24Kc has no FPU, like the ActorVmm CPU).
# Arguments for a program come from a "conformance-args: ..." line in its source.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
QEMU=${QEMU:-qemu-mipsel -cpu 24Kc}
EXP=conformance/expected
record=0
[ "${1:-}" = --record ] && record=1
ulimit -c 0 2>/dev/null || true

case "$BUILD" in /*) ABS_BUILD=$BUILD ;; *) ABS_BUILD=$PWD/$BUILD ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

# run TAG ELF ARGS: results in $tmp/TAG.{stdout,stderr,status}; runs in $tmp
# so that a core file, if any, lands there.
run() {
    tag=$1 elf=$2
    shift 2
    (cd "$tmp" && timeout 300 $QEMU "$elf" "$@" >"$tag.stdout" 2>"$tag.stderr"; echo $? >"$tag.status")
}

same() {  # same TAG1 TAG2
    for k in stdout stderr status; do
        cmp -s "$tmp/$1.$k" "$tmp/$2.$k" || { echo "  $k differs: $1 vs $2"; return 1; }
    done
}

against_expected() {  # against_expected TAG DIR NAME
    if [ $record = 1 ]; then
        mkdir -p "$2"
        for k in stdout stderr status; do cp "$tmp/$1.$k" "$2/$3.$k"; done
        return 0
    fi
    for k in stdout stderr status; do
        if [ ! -f "$2/$3.$k" ]; then echo "  no $2/$3.$k (run make expected)"; return 1; fi
        cmp -s "$tmp/$1.$k" "$2/$3.$k" || { echo "  $k differs from $2/$3.$k"; return 1; }
    done
}

verdict() {  # verdict NAME OK
    if [ "$2" = 0 ]; then
        pass=$((pass + 1))
        echo "ok   $1 (status $(cat "$tmp/$3.status"))"
    else
        fail=$((fail + 1))
        echo "FAIL $1"
    fi
}

for src in conformance/*.c; do
    n=$(basename "$src" .c)
    args=$(sed -n 's/.*conformance-args:[[:space:]]*//p' "$src" | head -n 1)
    for l in O0 O2 Os; do
        # shellcheck disable=SC2086
        run "$n-$l" "$ABS_BUILD/conformance/$n-$l.elf" $args
    done
    rc=0
    same "$n-O0" "$n-O2" || rc=1
    same "$n-O0" "$n-Os" || rc=1
    against_expected "$n-O0" "$EXP" "$n" || rc=1
    verdict "$n" $rc "$n-O0"
done

for src in conformance/asm/*.S; do
    n=$(basename "$src" .S)
    run "asm-$n" "$ABS_BUILD/conformance/asm/$n.elf"
    rc=0
    against_expected "asm-$n" "$EXP/asm" "$n" || rc=1
    verdict "asm/$n" $rc "asm-$n"
done

for src in conformance/faults/*.c conformance/faults/*.S; do
    [ -f "$src" ] || continue
    n=$(basename "${src%.*}")
    run "fault-$n" "$ABS_BUILD/faults/$n.elf"
    rc=0
    against_expected "fault-$n" "$EXP/faults" "$n" || rc=1
    verdict "faults/$n" $rc "fault-$n"
done

[ $record = 1 ] && echo "recorded into $EXP/"
echo "qemu-check: $pass passed, $fail failed"
[ $fail = 0 ]

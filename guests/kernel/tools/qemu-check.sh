#!/bin/sh
# qemu-check.sh - the oracle for the kernel's Linux-only user programs: run
# each case of expected/cases under qemu-mipsel and compare stdout and exit
# status with the recorded expected/<case>.stdout and .status. The C# tests
# (tests/ActorVmm.EndToEnd.Tests/NativeKernel) compare the kernel's console
# with the same files, so kernel == recorded == qemu.
#   KB=<build>/kernel QEMU="qemu-mipsel -cpu 24Kc" tools/qemu-check.sh [--record]
set -u
cd "$(dirname "$0")/.."
KB=${KB:-../build/kernel}
QEMU=${QEMU:-qemu-mipsel -cpu 24Kc}
record=0
[ "${1:-}" = --record ] && record=1
ulimit -c 0 2>/dev/null || true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
case "$KB" in /*) ;; *) KB=$PWD/$KB ;; esac
pass=0
fail=0
while read -r name program args; do
    case "$name" in ''|'#'*) continue ;; esac
    # shellcheck disable=SC2086
    (cd "$tmp" && $QEMU "$KB/programs/$program.elf" $args >"$tmp/out" 2>/dev/null; echo $? >"$tmp/status")
    if [ $record = 1 ]; then
        cp "$tmp/out" "expected/$name.stdout"
        cp "$tmp/status" "expected/$name.status"
        echo "recorded $name"
    elif cmp -s "$tmp/out" "expected/$name.stdout" && cmp -s "$tmp/status" "expected/$name.status"; then
        pass=$((pass + 1))
    else
        echo "FAIL $name: qemu-mipsel differs from expected/$name.*"
        fail=$((fail + 1))
    fi
done < expected/cases
[ $record = 1 ] && exit 0
echo "qemu-check: $pass passed, $fail failed"
[ $fail = 0 ]

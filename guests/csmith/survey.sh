#!/bin/sh
# survey.sh FIRST LAST OUTDIR [TIMEOUT] - build csmith seeds FIRST..LAST with
# build.sh and run each under qemu-mipsel with a time limit (default 5 s).
# Prints one line per seed and a summary; writes OUTDIR/survey.txt.
#   seed <n> <opt> build=<ok|FAIL> run=<ok|timeout|status N> [checksum]
set -u
FIRST=$1 LAST=$2 OUTDIR=$3 TIMEOUT=${4:-5}
QEMU=${QEMU:-qemu-mipsel}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
ulimit -c 0 2>/dev/null || true
built=0 finished=0 timeouts="" failed_build="" crashed=""
: > "$OUTDIR/survey.txt"
seed=$FIRST
while [ "$seed" -le "$LAST" ]; do
    case $((seed % 4)) in 0) opt=O0 ;; 1) opt=O1 ;; 2) opt=O2 ;; 3) opt=Os ;; esac
    if elf=$("$HERE/build.sh" "$seed" "$OUTDIR" 2>"$OUTDIR/csmith-$seed.build.log"); then
        built=$((built + 1))
        out=$(cd "$OUTDIR" && timeout "$TIMEOUT" $QEMU "$elf" 2>/dev/null)
        rc=$?
        sum=$(printf '%s\n' "$out" | sed -n 's/^checksum = //p')
        if [ $rc = 0 ] && [ -n "$sum" ]; then
            finished=$((finished + 1))
            line="seed $seed $opt build=ok run=ok $sum"
        elif [ $rc = 124 ]; then
            timeouts="$timeouts $seed"
            line="seed $seed $opt build=ok run=timeout"
        else
            crashed="$crashed $seed"
            line="seed $seed $opt build=ok run=status $rc"
        fi
    else
        failed_build="$failed_build $seed"
        line="seed $seed $opt build=FAIL"
    fi
    echo "$line" | tee -a "$OUTDIR/survey.txt"
    seed=$((seed + 1))
done
total=$((LAST - FIRST + 1))
{
    echo "seeds $FIRST..$LAST: $total generated, $built built, $finished finished within ${TIMEOUT}s"
    echo "did not build:${failed_build:- none}"
    echo "timed out:${timeouts:- none}"
    echo "crashed / non-zero status:${crashed:- none}"
} | tee -a "$OUTDIR/survey.txt"

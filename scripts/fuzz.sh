#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/<Target>/, in Package.swift only when VOREG_FUZZ=1) with
# -sanitize=fuzzer,address into .build-fuzz, then runs each on its seed corpus, one at a time,
# until FUZZ_RUNS executions or FUZZ_SECONDS seconds, whichever comes first.
#
#   scripts/fuzz.sh [TARGET...]        TARGET: ADQL VOResource OAIRequest ResumptionToken Upload Descriptor
#
# Environment (defaults in brackets):
#   FUZZ_SECONDS [600]    time limit per target          FUZZ_RUNS [1000000]  executions per target
#   FUZZ_TIMEOUT [10]     seconds one input may take before it counts as a hang
#   FUZZ_RSS_MB  [2048]   memory limit (libFuzzer -rss_limit_mb, also -malloc_limit_mb)
#   FUZZ_CONFIG  [debug]  swift build configuration (debug keeps assert(); both trap on overflow
#                         and bounds)                FUZZ_BUILD_JOBS  swift build -j (unset: all cores)
#   FUZZ_OUT     [.fuzz]  working corpora (new inputs), logs and crash artifacts (git-ignored)
#   FUZZ_BUILD   [1]      0: run the binaries already built
#
# Prints one summary line per target; exits 1 if any target crashed, hung, ran out of memory,
# or reported a sanitizer error (the reproducer is in $FUZZ_OUT/artifacts/<target>/).
set -u
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_RUNS=${FUZZ_RUNS:-1000000}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
FUZZ_CONFIG=${FUZZ_CONFIG:-debug}
FUZZ_OUT=${FUZZ_OUT:-.fuzz}
FUZZ_BUILD=${FUZZ_BUILD:-1}
SWIFT=${SWIFT:-swift}
BUILD_PATH=.build-fuzz

# target → seed corpus directory (Fuzz/corpus/…) and dictionary (Fuzz/dict/…, "-" for none)
declare -A CORPUS=([ADQL]=adql [VOResource]=voresource [OAIRequest]=oai-request
    [ResumptionToken]=resumption-token [Upload]=upload [Descriptor]=descriptor)
declare -A DICT=([ADQL]=adql [VOResource]=xml [OAIRequest]=oai [ResumptionToken]=token [Upload]=xml
    [Descriptor]=descriptor)
ALL=(ADQL VOResource OAIRequest ResumptionToken Upload Descriptor)

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${ALL[@]}")
for t in "${targets[@]}"; do
    [ -n "${CORPUS[$t]:-}" ] || { echo "fuzz: unknown target $t (known: ${ALL[*]})" >&2; exit 2; }
done

mkdir -p "$FUZZ_OUT/logs"
if [ "$FUZZ_BUILD" = 1 ]; then
    jobs=()
    [ -n "${FUZZ_BUILD_JOBS:-}" ] && jobs=(-j "$FUZZ_BUILD_JOBS")
    for t in "${targets[@]}"; do
        echo "fuzz: building Fuzz$t ($FUZZ_CONFIG, -sanitize=fuzzer,address)"
        if ! VOREG_FUZZ=1 "$SWIFT" build --build-path "$BUILD_PATH" -c "$FUZZ_CONFIG" "${jobs[@]}" \
            --product "Fuzz$t" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
            >"$FUZZ_OUT/logs/build-$t.log" 2>&1; then
            echo "fuzz: building Fuzz$t failed, see $FUZZ_OUT/logs/build-$t.log" >&2
            tail -20 "$FUZZ_OUT/logs/build-$t.log" >&2
            exit 2
        fi
    done
fi

status=0
printf '%-16s %10s %8s %9s %8s %8s %s\n' target executions seconds "exec/s" corpus findings exit
for t in "${targets[@]}"; do
    bin="$BUILD_PATH/$FUZZ_CONFIG/Fuzz$t"
    [ -x "$bin" ] || { echo "fuzz: $bin is not built" >&2; exit 2; }
    work="$FUZZ_OUT/corpus/$t"
    artifacts="$FUZZ_OUT/artifacts/$t"
    log="$FUZZ_OUT/logs/$t.log"
    mkdir -p "$work" "$artifacts"
    dict=()
    [ "${DICT[$t]}" != - ] && dict=("-dict=Fuzz/dict/${DICT[$t]}.dict")
    # The first corpus directory receives the new inputs; the committed seeds (and the inputs
    # of past findings, Fuzz/regressions/) are read only.
    extra=()
    [ -d "Fuzz/regressions/${CORPUS[$t]}" ] && extra=("Fuzz/regressions/${CORPUS[$t]}")
    # Output goes to a file, not a pipe (libFuzzer's stderr is large and a full pipe stalls it).
    # SWIFT_BACKTRACE: Swift's own crash handler would race libFuzzer's (and trip ASan).
    started=$(date +%s)
    SWIFT_BACKTRACE=enable=no "$bin" "$work" "Fuzz/corpus/${CORPUS[$t]}" "${extra[@]}" "${dict[@]}" \
        -runs="$FUZZ_RUNS" -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" \
        -rss_limit_mb="$FUZZ_RSS_MB" -malloc_limit_mb="$FUZZ_RSS_MB" -max_len=65536 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
    rc=$?
    elapsed=$(($(date +%s) - started))
    # "Done 1000000 runs in 123 second(s)" on a clean finish; the final stats otherwise.
    runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -1)
    [ -z "$runs" ] && runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -z "$secs" ] && secs=$elapsed  # no "Done" line after a crash: the wall time
    rate=-
    [ -n "$runs" ] && [ -n "$secs" ] && [ "$secs" -gt 0 ] && rate=$((runs / secs))
    corpus=$(find "$work" -type f | wc -l)
    findings=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' -o -name 'slow-unit-*' \) | wc -l)
    sanitizer=$(grep -c 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|ERROR: libFuzzer\|Fatal error\|SUMMARY: ' "$log")
    printf '%-16s %10s %8s %9s %8s %8s %s\n' "$t" "${runs:-?}" "${secs:-?}" "$rate" "$corpus" "$findings" "$rc"
    if [ "$rc" -ne 0 ] || [ "$sanitizer" -ne 0 ]; then
        status=1
        echo "fuzz: $t: see $log and $artifacts/" >&2
    fi
done
exit $status

#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang, ASan and UBSan (in the
# sanitized suite's tree, _out/sanitize), and runs each on a copy of its
# committed corpus (fuzz/corpus/<target>/). Any crash, leak, timeout,
# out-of-memory or broken promise fails the run and names the input that
# reproduces it.
#
#   hack/fuzz.sh [SECONDS]   every target for SECONDS (default 20); CI runs it
#                            for a few seconds, `hack/fuzz.sh 600` is a long hunt
#
# Settings (environment):
#   BUILD_DIR     build directory (default: _out/sanitize)
#   FUZZ_TARGETS  the targets to run (default: all), e.g. "emerge_pretend build_failure"
#   FUZZ_JOBS     how many targets run at once (default: the number of cores)
#   FUZZ_ARGS     more libFuzzer flags, e.g. "-max_len=65536"
#
# Each run starts from the committed corpus again; what it found is left in
# BUILD_DIR/runs/<target>/corpus/ until the next run (copy an input worth
# keeping into fuzz/corpus/<target>/ by hand), a failing input beside it.
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$SWARM_ROOT/hack/lib/deps.sh"

seconds=${1:-20}
case $seconds in
  '' | *[!0-9]* | 0) echo "usage: hack/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
BUILD_DIR=${BUILD_DIR:-$SWARM_SANITIZE_DIR_DEFAULT}
jobs=${FUZZ_JOBS:-$(nproc)}

# The tree of the sanitized suite (clang, ASan, UBSan; hack/lib/deps.sh):
# after `hack/test.sh --sanitize` there is nothing left to build. Unoptimized:
# the build is most of a short run's time, and -O1 doubles it.
swarm::configure_sanitized "$BUILD_DIR"
swarm::build "$BUILD_DIR" fuzzers

targets=()
if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  for src in "$SWARM_ROOT"/fuzz/*_fuzzer.cc; do
    name=$(basename "$src" .cc)
    targets+=("${name%_fuzzer}")
  done
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# fuzz_one TARGET: one target's run in BUILD_DIR/runs/TARGET, its exit code
# in the file rc there.
fuzz_one() {
  local target=$1 run=$BUILD_DIR/runs/$1 dict=()
  rm -rf "$run" && mkdir -p "$run/corpus"
  if [ -d "$SWARM_ROOT/fuzz/corpus/$target" ]; then
    cp -R "$SWARM_ROOT/fuzz/corpus/$target/." "$run/corpus/"
  fi
  [ -f "$SWARM_ROOT/fuzz/$target.dict" ] && dict=(-dict="$SWARM_ROOT/fuzz/$target.dict")
  local rc=0
  # -timeout: one input taking 10 s is a hang (the targets take milliseconds).
  # shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
  "$BUILD_DIR/bin/${target}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$run/" "${dict[@]}" ${FUZZ_ARGS:-} "$run/corpus" \
    </dev/null >"$run/log" 2>&1 || rc=$?
  echo "$rc" >"$run/rc"
}

swarm::say "fuzzing ${#targets[@]} targets for ${seconds}s each, $jobs at a time (runs: $BUILD_DIR/runs)"
start=$SECONDS
for target in "${targets[@]}"; do
  if [ ! -x "$BUILD_DIR/bin/${target}_fuzzer" ]; then
    echo "no fuzz target $target (fuzz/${target}_fuzzer.cc)" >&2
    exit 2
  fi
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  fuzz_one "$target" &
done
wait

failed=0
for target in "${targets[@]}"; do
  run=$BUILD_DIR/runs/$target
  rc=$(cat "$run/rc" 2>/dev/null || echo 1)
  done_line=$(grep -E '^Done [0-9]+ runs' "$run/log" | tail -n 1 || true)
  inputs=$(find "$run/corpus" -type f | wc -l)
  if [ "$rc" = 0 ]; then
    echo "    $target: ${done_line:-done}, corpus of $inputs inputs"
    continue
  fi
  failed=1
  artifact=$(find "$run" -maxdepth 1 -type f \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | head -n 1)
  {
    echo "!!! $target failed (exit $rc); the end of its log:"
    # Without libFuzzer's progress lines.
    grep -v -E '^#[0-9]+\s|^\s+NEW_FUNC' "$run/log" | tail -n 40 | sed 's/^/    /'
    echo "!!! full log: $run/log"
    if [ -n "$artifact" ]; then
      echo "!!! reproduce: $BUILD_DIR/bin/${target}_fuzzer $artifact"
    fi
  } >&2
done
swarm::say "fuzzing took $((SECONDS - start))s"
exit $failed

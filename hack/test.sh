#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through CTest.
#
#   hack/test.sh              the shared build (_out/build, as hack/local-up-swarm.sh uses)
#   hack/test.sh --sanitize   the whole suite again, built by clang with
#                             AddressSanitizer and UndefinedBehaviorSanitizer in
#                             its own directory (_out/sanitize, which also holds
#                             the fuzzers hack/fuzz.sh runs); any report, from a
#                             test or from a program a test started, fails the run
#
# Settings (environment):
#   BUILD_DIR   build directory (default: _out/build, or _out/sanitize)
#   BUILD_TYPE  CMake build type (default: Debug; the sanitized build is Debug)
#   CTEST_ARGS  extra ctest arguments (e.g. "-R Foundation")
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$SWARM_ROOT/hack/lib/deps.sh"

sanitize=0
case "${1:-}" in
  "") ;;
  --sanitize) sanitize=1 ;;
  *) echo "usage: hack/test.sh [--sanitize]" >&2; exit 2 ;;
esac
if [ $sanitize = 1 ]; then
  BUILD_DIR=${BUILD_DIR:-$SWARM_SANITIZE_DIR_DEFAULT}
  swarm::configure_sanitized "$BUILD_DIR"
else
  BUILD_DIR=${BUILD_DIR:-$SWARM_BUILD_DIR_DEFAULT}
  swarm::install_deps "${SWARM_DEB_PACKAGES[@]}" "${SWARM_TEST_DEB_PACKAGES[@]}"
  swarm::configure "$BUILD_DIR" "${BUILD_TYPE:-$SWARM_BUILD_TYPE_DEFAULT}"
fi
swarm::build "$BUILD_DIR"

if [ $sanitize = 1 ]; then
  # ASan, LSan and UBSan reports of every sanitized process (tests and the
  # programs they start) land here; UBSan also halts the process.
  reports=$BUILD_DIR/sanitizer-reports
  rm -rf "$reports" && mkdir -p "$reports"
  export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:abort_on_error=0"
  export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
fi

cd "$BUILD_DIR"
log=$BUILD_DIR/test.log
# shellcheck disable=SC2086  # CTEST_ARGS is a list of arguments
total=$(ctest -N ${CTEST_ARGS:-} | sed -n 's/^Total Tests: //p')
swarm::say "running ${total:-the} tests (log: $log)"
start=$SECONDS
rc=0
# shellcheck disable=SC2086
ctest --output-on-failure -j "$(nproc)" --timeout 300 ${CTEST_ARGS:-} 2>&1 | tee "$log" |
  swarm::progress "tests: %d of %d done" || rc=$?
# CTest's closing lines, as it printed them.
sed -n '/tests passed, .* tests failed out of/,$p' "$log"
swarm::say "tests took $((SECONDS - start))s"

if [ $sanitize = 1 ] && [ -n "$(ls -A "$reports")" ]; then
  echo "!!! sanitizer reports were written (in $reports):" >&2
  for f in "$reports"/*; do
    echo "--- $f" >&2
    head -n 60 "$f" >&2
  done
  rc=1
fi
if [ $rc -ne 0 ]; then
  echo "!!! tests failed; the output of each failed test is in $log" >&2
fi
exit $rc

# shellcheck shell=bash
# Sourced by hack/*.sh: installs the Debian packages the build needs when any
# is missing (as root), configures and builds, saying one line per stage and
# keeping each stage's full output in a log file.

SWARM_DEB_PACKAGES=(
  g++ cmake ninja-build lld make pkg-config git
  libyaml-cpp-dev libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev
  libsqlite3-dev libcli11-dev libgtest-dev libgmock-dev libssl-dev
  openssl
)

# What only the tests use: promtool (the metrics' format) is Debian's
# prometheus; systemd-analyze and systemd-sysusers (the units, as written and
# as installed) are Debian's systemd; zsh runs swarmctl's zsh completion;
# the dashboard is tested in Debian's chromium, driven by chromium-driver.
# shellcheck disable=SC2034
# Real portage (hack/real-portage/, the tests of emerge's real output): Debian's
# python3, bash, coreutils, tar with xz and zstd, git for the test repository,
# and pax-utils' scanelf, which portage runs after each install.
SWARM_TEST_DEB_PACKAGES=(prometheus systemd zsh chromium chromium-driver
  python3 tar xz-utils zstd pax-utils)

# The one build both README commands share (hack/test.sh, hack/local-up-swarm.sh).
# Debug: the tests and the demo need no optimizer, and it halves the build.
# shellcheck disable=SC2034  # read by the scripts that source this file
SWARM_BUILD_DIR_DEFAULT=$SWARM_ROOT/_out/build
# shellcheck disable=SC2034
SWARM_BUILD_TYPE_DEFAULT=Debug

swarm::say() { echo "==> $*"; }

# swarm::fail STAGE LOG: says which stage failed, shows the end of its log,
# and where the whole log is; returns 1.
swarm::fail() {
  local stage=$1 log=$2
  {
    echo "!!! $stage failed; the last lines of its log:"
    tail -n 40 "$log" | sed 's/^/    /'
    echo "!!! full log: $log"
  } >&2
  return 1
}

# swarm::install_deps [PACKAGE...]: installs what is missing of the named
# Debian packages (default: the build's).
swarm::install_deps() {
  local missing=() wanted=("$@") p log
  [ ${#wanted[@]} -eq 0 ] && wanted=("${SWARM_DEB_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]}; run as root or install them with apt-get" >&2
    return 1
  fi
  log=$(mktemp /tmp/build-swarm-apt.XXXXXX.log)
  swarm::say "installing ${#missing[@]} packages: ${missing[*]} (log: $log)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >"$log" 2>&1 || swarm::fail "installing packages" "$log"
}

# swarm::progress FORMAT: reads "[N/M] ..." lines (ninja's, ctest's "N/M Test")
# on stdin and prints FORMAT with N and M (and the seconds so far) about every
# 10 % or 20 seconds. Lines that stand for themselves ("up to date", a failed
# test) are passed on. Bash, not awk: mawk reads its input in blocks.
swarm::progress() {
  local format=$1 line n m shown=0 last=$SECONDS start=$SECONDS
  while IFS= read -r line; do
    if [[ $line =~ ^\[([0-9]+)/([0-9]+)\]\  || $line =~ ^\ *([0-9]+)/([0-9]+)\ Test\ +# ]]; then
      n=${BASH_REMATCH[1]} m=${BASH_REMATCH[2]}
      if [ "$n" = "$m" ] || [ $((n * 10)) -ge $(((shown + 1) * m)) ] || [ $((SECONDS - last)) -ge 20 ]; then
        shown=$((n * 10 / m)) last=$SECONDS
        printf "    $format (%ds)\n" "$n" "$m" $((SECONDS - start))
      fi
    fi
    case $line in
      "ninja: no work to do"*) echo "    up to date" ;;
      *"***Failed"* | *"***Timeout"* | *"***Exception"* | *"Not Run"*) echo "    $line" ;;
    esac
  done
}

# swarm::configure DIR TYPE [CMAKE_ARGS...]: a Ninja build of type TYPE in DIR,
# one source file per several (unity build), linked with lld when installed.
# Re-running it on a configured directory changes nothing and costs a second.
swarm::configure() {
  local dir=$1 type=$2
  shift 2
  mkdir -p "$dir"
  local log=$dir/configure.log cache=$dir/CMakeCache.txt
  # A directory configured for another generator (an older Makefile build) or
  # another compiler ($CXX) cannot be switched: start it afresh.
  if [ -f "$cache" ]; then
    local cxx
    cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$cache")
    if ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$cache" ||
      { [ -n "${CXX:-}" ] && [ "$(command -v "$CXX")" != "$cxx" ]; }; then
      rm -rf "$cache" "$dir/CMakeFiles"
    fi
  fi
  swarm::say "configuring $dir ($type)"
  cmake -S "$SWARM_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" \
    -DCMAKE_UNITY_BUILD=ON "$@" >"$log" 2>&1 || swarm::fail "configuring" "$log"
}

# swarm::build DIR [TARGET...]: builds the targets (all when none are named)
# of a configured DIR, printing "building: step N of M" about every 10 % or
# 20 seconds. Nothing to do prints one line.
swarm::build() {
  local dir=$1
  shift
  local log=$dir/build.log what=${*:-everything}
  local start=$SECONDS rc=0
  local -
  set -o pipefail
  swarm::say "building $what (log: $log)"
  # Ninja prints "[N/M] ..." per step; keep the whole output, show a little.
  NINJA_STATUS='[%f/%t] ' cmake --build "$dir" -j "$(nproc)" ${1:+--target "$@"} 2>&1 |
    tee "$log" | swarm::progress "building: step %d of %d" || rc=$?
  [ $rc -eq 0 ] || { swarm::fail "building" "$log"; return 1; }
  swarm::say "built in $((SECONDS - start))s"
}

# The sanitized build (hack/test.sh --sanitize) and the fuzzers (hack/fuzz.sh)
# share one tree: clang, AddressSanitizer and UndefinedBehaviorSanitizer, and
# libFuzzer's targets beside the suite. Clang compiles this code twice as fast
# as GCC with the sanitizers on, and CI then builds the fuzzers' sources once.
# shellcheck disable=SC2034
SWARM_SANITIZE_DIR_DEFAULT=$SWARM_ROOT/_out/sanitize
SWARM_SANITIZE_DEB_PACKAGES=(clang libclang-rt-14-dev llvm-14)

# swarm::configure_sanitized DIR: installs clang when missing, configures DIR
# as that tree, and points the sanitizers at llvm's symbolizer.
swarm::configure_sanitized() {
  local dir=$1
  swarm::install_deps "${SWARM_DEB_PACKAGES[@]}" "${SWARM_TEST_DEB_PACKAGES[@]}" \
    "${SWARM_SANITIZE_DEB_PACKAGES[@]}"
  CXX=clang++ swarm::configure "$dir" Debug -DCMAKE_CXX_COMPILER=clang++ \
    -DSWARM_SANITIZE=ON -DSWARM_FUZZ=ON
  if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
  fi
}

#!/usr/bin/env bash
# Times the README's two set-up commands as a newcomer meets them: each run is
# a fresh clone of HEAD (nothing built), with the packages already installed.
#
#   hack/bench-build.sh demo [RUNS]   hack/local-up-swarm.sh (ONESHOT=1): seconds to
#                                     the first `get drones` table, and to the end
#   hack/bench-build.sh test [RUNS]   hack/test.sh: seconds in all, build and tests
#
# Per run it also prints the translation units compiled and the peak memory of
# the build: the largest sum of the compilers' and linkers' resident memory,
# sampled every half second, and the largest single process (GNU time, which
# the Debian package `time` installs). Runs one after another; RUNS defaults to 1.
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-}
runs=${2:-1}
case "$what" in
  demo | test) ;;
  *) echo "usage: hack/bench-build.sh demo|test [RUNS]" >&2; exit 2 ;;
esac
[ -x /usr/bin/time ] || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q time; } >/dev/null

# Largest sum of RSS (KiB) of compiler and linker processes, sampled until $1 exists.
sample_memory() {
  local stop=$1 out=$2 peak=0 sum
  echo 0 > "$out"
  while [ ! -e "$stop" ]; do
    # ps fails when no such process runs; the sum is then 0.
    sum=$(ps -C cc1plus,ld.lld,ld,as,collect2 -o rss= 2>/dev/null | awk '{ s += $1 } END { print s + 0 }') || sum=0
    [ "$sum" -gt "$peak" ] && peak=$sum
    echo "$peak" > "$out"
    sleep 0.5
  done
}

for i in $(seq "$runs"); do
  clone=$(mktemp -d /tmp/build-swarm-bench-build.XXXXXX)
  git clone -q "$SWARM_ROOT" "$clone"
  rev=$(git -C "$clone" rev-parse --short HEAD)
  log=$clone.log
  rm -f "$clone.stop"
  sample_memory "$clone.stop" "$clone.mem" &
  sampler=$!
  start=$(date +%s.%N)
  first_table=""
  if [ "$what" = demo ]; then
    cmd=(env ONESHOT=1 CONTROLLER_PORT=0 "$clone/hack/local-up-swarm.sh")
  else
    cmd=("$clone/hack/test.sh")
  fi
  # Stamp the moment the first `get drones` table starts.
  while IFS= read -r line; do
    echo "$line" >> "$log"
    if [ -z "$first_table" ] && [[ $line == NAME* ]]; then
      first_table=$(echo "$(date +%s.%N) - $start" | bc)
    fi
  done < <(/usr/bin/time -f '%M' -o "$clone.rss" "${cmd[@]}" 2>&1; echo "exit status $?")
  total=$(echo "$(date +%s.%N) - $start" | bc)
  touch "$clone.stop"
  wait "$sampler"
  status=$(tail -n 1 "$log")
  units=$(grep -c 'Building CXX object' "$clone/_out/build/build.log" 2>/dev/null) || true
  printf 'run %d (%s, %s): %s; total %.0f s' "$i" "$what" "$rev" "$status" "$total"
  [ -n "$first_table" ] && printf '; first get drones table at %.0f s' "$first_table"
  printf '; %s translation units; build peak memory %d MiB (largest process %d MiB); log %s\n' \
    "$units" $(($(cat "$clone.mem") / 1024)) $(($(tail -n 1 "$clone.rss") / 1024)) "$log"
  rm -rf "$clone" "$clone.stop" "$clone.mem" "$clone.rss"
done

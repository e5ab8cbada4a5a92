#!/usr/bin/env bash
# How long a drone sits idle between two builds, on real processes: a
# controller and one agent on 127.0.0.1, the drone labelled 1 core (one build
# at a time, so each build's end and the next one's start pair up), a queue of BUILDS independent packages that the fake
# emerge builds in BUILD_SECONDS each; every BIG_EVERY-th package's binary
# package is BIG_MB MiB, the others a few KiB. A wrapper around emerge records
# when each build's emerge process starts and ends; a gap is the time from
# one emerge's end to the next one's start on the drone. Everything the
# agent does between them counts: finding the package, the heartbeat that
# brings the next build, the controller's dispatch, the next build's checks.
#
# With RATE set (a tc rate, e.g. 100mbit), the run happens in a network
# namespace of its own whose loopback is limited to RATE: a slow link between
# drone and controller, which heartbeats and uploads share.
#   BIN_DIR        binaries (default: the optimized build of this checkout)
#   BUILDS         packages in the queue (default: 40)
#   BUILD_SECONDS  each build's compile phase (default: 1)
#   BIG_EVERY      every this many packages, a big one (default: 5)
#   BIG_MB         its binary package, MiB (default: 300)
#   DRONE_ROOT     where the drone's files live (default: /dev/shm, a tmpfs):
#                  a real drone writes its packages to a disk of its own; on
#                  one machine they would share the controller's ext4 journal,
#                  and every commit of the controller would wait for them
#                  (the big packages stay there: BUILDS / BIG_EVERY x BIG_MB)
#   BINHOST_DIR    the controller's --binhost-dir (default: beside its state,
#                  on the same disk)
#   RATE           limit of the link (default: none)
#   KEEP           1: keep the work directory
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILDS=${BUILDS:-40}
BUILD_SECONDS=${BUILD_SECONDS:-1}
BIG_EVERY=${BIG_EVERY:-5}
BIG_MB=${BIG_MB:-300}
RATE=${RATE:-}
DRONE_ROOT=${DRONE_ROOT:-/dev/shm}

if [ -n "$RATE" ] && [ -z "${BENCH_GAP_NETNS:-}" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "RATE=$RATE: shaping a link needs a network namespace and tc: run as root" >&2
    exit 2
  fi
  # Built before entering the namespace; the namespace has no network but lo.
  source "$SWARM_ROOT/hack/lib/bench.sh"
  bench::binaries
  export BIN_DIR BENCH_GAP_NETNS=1
  exec unshare --net "$0" "$@"
fi
source "$SWARM_ROOT/hack/lib/bench.sh"
source "$SWARM_ROOT/hack/lib/fake-drone.sh"
bench::binaries
if [ -n "$RATE" ]; then
  # An Ethernet-sized MTU, and a token bucket as a slow link has.
  ip link set lo mtu 1500 up
  tc qdisc add dev lo root tbf rate "$RATE" burst 32kb latency 100ms
fi

work=$(mktemp -d /tmp/build-swarm-gap.XXXXXX)
d=$(mktemp -d "$DRONE_ROOT/build-swarm-gap-drone.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work" "$d"' EXIT

# The tree: BUILDS packages, none depending on another.
tree=$work/tree
mkdir -p "$tree/profiles" "$tree/metadata/fake-emerge/binpkg-bytes/dev-libs"
echo gentoo > "$tree/profiles/repo_name"
for i in $(seq "$BUILDS"); do
  mkdir -p "$tree/dev-libs/gap$i"
  printf 'EAPI=8\nSLOT="0"\nKEYWORDS="amd64"\n' > "$tree/dev-libs/gap$i/gap$i-1.0.ebuild"
  if [ $((i % BIG_EVERY)) = 0 ]; then
    echo $((BIG_MB << 20)) > "$tree/metadata/fake-emerge/binpkg-bytes/dev-libs/gap$i-1.0"
  fi
done
git -C "$tree" init -q -b master
git -C "$tree" add -A
git -C "$tree" -c user.name=bench -c user.email=bench@localhost commit -q -m tree
revision=$(git -C "$tree" rev-parse HEAD)

{
  echo "admintoken,admin,admin"
  echo "dronetoken,drone-1,agent"
} > "$work/tokens.csv"
chmod 600 "$work/tokens.csv"
{
  printf 'apiVersion: buildswarm.io/v1alpha1\nkind: Swarm\nmetadata: {name: gap}\nspec:\n'
  printf '  portage: {treeRevision: %s}\n  deploy: {version: v1}\n' "$revision"
  printf '  queue:\n    packages:\n'
  for i in $(seq "$BUILDS"); do printf '      - dev-libs/gap%s-1.0\n' "$i"; done
  printf '  drones:\n    - name: drone-1\n      labels: {cores: "1", memory: 64Gi}\n'
} > "$work/swarm.yaml"

git clone -q "$tree" "$d/repo"
mkdir -p "$d/bin"
echo dronetoken > "$d/token"
chmod 600 "$d/token"
# The wrapper times each build's emerge; --pretend and --info pass through.
# The fake emerge's scratch files go to the drone's tmpdir (TMPDIR).
cat > "$d/bin/emerge" <<SH
#!/bin/sh
export TMPDIR="$d/tmpdir"
case " \$* " in
  *" --oneshot "*) ;;
  *) exec "$SWARM_ROOT/hack/fake-portage/emerge" --fake-repo "$d/repo" "\$@" ;;
esac
for a in "\$@"; do atom=\$a; done
printf '%s start %s\n' "\$(date +%s.%N)" "\$atom" >> "$work/times"
FAKE_EMERGE_BUILD_SECONDS=$BUILD_SECONDS "$SWARM_ROOT/hack/fake-portage/emerge" --fake-repo "$d/repo" "\$@"
rc=\$?
printf '%s end %s\n' "\$(date +%s.%N)" "\$atom" >> "$work/times"
exit \$rc
SH
chmod +x "$d/bin/emerge"

bench::controller "$work" --binhost-dir "${BINHOST_DIR:-$work/binhost}"
fake_drone::config "$d" drone-1 "$url"
"$BIN_DIR/swarm-agent" --config "$d/agent.yaml" > "$d/agent.log" 2>&1 &
agent_pid=$!

started=$(date +%s.%N)
"$BIN_DIR/swarmctl" --server "$url" --token admintoken apply -f "$work/swarm.yaml" > /dev/null
queue() {  # queue FIELD: a count of the Swarm's status.queue
  "$BIN_DIR/swarmctl" --server "$url" --token admintoken get swarm -o json |
    python3 -c "import json, sys; print(json.load(sys.stdin)['status']['queue'].get('$1', 0))"
}
deadline=$((SECONDS + 1800))
until [ "$(queue complete)" = "$BUILDS" ]; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "$agent_pid" 2>/dev/null; then
    echo "!!! the queue was not built; logs in $work and $d" >&2
    KEEP=1
    exit 1
  fi
  sleep 0.2
done
finished=$(date +%s.%N)

python3 - "$work/times" "$BIG_EVERY" "$started" "$finished" "$RATE" "$BIG_MB" "$BUILDS" <<'PY'
import re, sys
path, big_every, started, finished, rate, big_mb, builds = sys.argv[1:]
events = []
for line in open(path):
    t, what, atom = line.split(maxsplit=2)
    events.append((float(t), what, atom.strip()))
events.sort()
gaps, after_big, ended, ends = [], [], None, 0
for t, what, atom in events:
    if what == "end":
        ended, ends = (t, atom), ends + 1
    elif ended is not None:
        gap = (t - ended[0]) * 1000
        gaps.append(gap)
        n = int(re.search(r"gap(\d+)-", ended[1]).group(1))
        if n % int(big_every) == 0:
            after_big.append(gap)
        ended = None

if not gaps:
    sys.exit("no gaps: the queue needs two builds at least (BUILDS)")

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")

print(f"link: {rate or 'loopback, unlimited'}; {builds} builds, "
      f"every {big_every}th with a {big_mb} MiB binary package; {ends} emerge runs")
print(f"gaps between builds: {len(gaps)}; median {pct(gaps, 50):.0f} ms, "
      f"p90 {pct(gaps, 90):.0f} ms, p99 {pct(gaps, 99):.0f} ms, max {max(gaps):.0f} ms")
print(f"  after a big package: {len(after_big)}; median {pct(after_big, 50):.0f} ms, "
      f"max {max(after_big) if after_big else float('nan'):.0f} ms")
print(f"queue built in {float(finished) - float(started):.1f} s (from apply)")
PY

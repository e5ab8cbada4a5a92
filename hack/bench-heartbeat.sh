#!/usr/bin/env bash
# Measures how many heartbeats per second the controller takes, and their
# latency, with every heartbeat written to SQLite (synchronous=FULL) as in
# production. Traffic stays on 127.0.0.1; the run is bounded in time.
#   BIN_DIR   binaries (default: an optimized build of the three programs in
#             _out/release, made or brought up to date first; the tests' build
#             is unoptimized and would measure the compiler, not the controller)
#   DRONES    roster size (default: 50)
#   CLIENTS   concurrent agents-worth of clients (default: 8)
#   SECONDS_  how long to send (default: 10)
#   QUEUE     packages in spec.queue.packages (default: 0). With a queue every
#             heartbeat also runs dispatch; each client echoes the assignments
#             its drones were given back in their heartbeats, as agents do,
#             so the leases stay held and the scheduler sees a busy swarm.
#   WARMUP    0: skip the warm-up below
#   LOAD      python (default): the client above, CLIENTS threads of one
#             Python process; it echoes assignments, but its own cost caps
#             the rate near 2,000/s. wrk: wrk with CLIENTS connections on 2
#             threads, each request the next drone's heartbeat (no builds
#             echoed: for an empty queue), as fast as the server answers.
# Before the measured run every drone sends one heartbeat (it joins), so
# joining is not what is measured. At the end the controller's resident
# memory (VmRSS, and its peak VmHWM) is printed.
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$SWARM_ROOT/hack/lib/bench.sh"
bench::binaries
DRONES=${DRONES:-50}
CLIENTS=${CLIENTS:-8}
DURATION=${SECONDS_:-10}
QUEUE=${QUEUE:-0}
LOAD=${LOAD:-python}
command -v python3 >/dev/null || { echo "python3 is needed for the load client" >&2; exit 1; }
if [ "$LOAD" = wrk ] && ! command -v wrk >/dev/null; then
  source "$SWARM_ROOT/hack/lib/deps.sh"
  swarm::install_deps wrk
fi
work=$(mktemp -d /tmp/build-swarm-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

bench::roster "$work" "$DRONES" "$QUEUE"
bench::controller "$work"
"$BIN_DIR/swarmctl" --server "$url" --token admintoken apply -f "$work/swarm.yaml" >/dev/null

# client SECONDS CLIENTS
client() { bench::load "$DRONES" "$2" "$1"; }

# Every drone joins first: one heartbeat each, from one client, in order
# (WARMUP=0 skips it: for a controller too slow to let 10,000 drones join).
if [ "${WARMUP:-1}" != 0 ]; then
  warm=$(( (DRONES + 199) / 200 ))
  client "$warm" 1 > "$work/warmup.txt"
  echo "warm-up: $(tail -1 "$work/warmup.txt")"
fi

if [ "$LOAD" = wrk ]; then
  cat > "$work/heartbeat.lua" <<LUA
local drones = $DRONES
local body = '{"deployVersion":"v1","treeRevision":"rev","health":"HEALTHY",' ..
  '"resources":{"cores":16,"memoryBytes":34359738368,"memoryUsedPercent":40.0,' ..
  '"diskUsedPercent":50.0,"load1":2.0},"actions":[],"builds":[]}'
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
local next_drone = 0
function init(args)
  next_drone = offset * 7919
end
function request()
  local d = next_drone % drones + 1
  next_drone = next_drone + 1
  return wrk.format("POST", "/api/v1/drones/drone-" .. d .. "/heartbeat",
    {["Authorization"] = "Bearer token-" .. d, ["Content-Type"] = "application/json"}, body)
end
function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
                 summary.errors.write + summary.errors.timeout
  io.write(string.format("heartbeats=%d errors=%d rate=%.0f/s p50=%.2fms p99=%.2fms max=%.2fms\n",
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
  echo "drones=$DRONES connections=$CLIENTS seconds=$DURATION queue=$QUEUE load=wrk"
  wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --timeout 10s -s "$work/heartbeat.lua" "$url" | tail -1
else
  client "$DURATION" "$CLIENTS"
fi
# Memory first: listing a large queue as JSON costs memory of its own.
grep -E '^Vm(RSS|HWM)' "/proc/$controller_pid/status" | tr -s ' \t' ' ' | paste -sd' ' \
  | sed 's/^/controller memory: /'
if [ "$QUEUE" -gt 0 ]; then
  echo "queue at the end:"
  "$BIN_DIR/swarmctl" --server "$url" --token admintoken get packages -o json |
    python3 -c 'import collections, json, sys
print(dict(collections.Counter(p["status"]["phase"] for p in json.load(sys.stdin)["items"])))'
fi


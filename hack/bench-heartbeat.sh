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
if [ -z "${BIN_DIR:-}" ]; then
  source "$SWARM_ROOT/hack/lib/deps.sh"
  swarm::install_deps
  swarm::configure "$SWARM_ROOT/_out/release" RelWithDebInfo -DSWARM_BUILD_TESTS=OFF
  swarm::build "$SWARM_ROOT/_out/release" swarm-controller swarm-agent swarmctl
  BIN_DIR=$SWARM_ROOT/_out/release/bin
fi
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

{
  echo "admintoken,admin,admin"
  for i in $(seq "$DRONES"); do echo "token-$i,drone-$i,agent"; done
} > "$work/tokens.csv"
{
  printf 'apiVersion: buildswarm.io/v1alpha1\nkind: Swarm\nmetadata: {name: bench}\nspec:\n'
  printf '  portage: {treeRevision: rev}\n  deploy: {version: v1}\n'
  if [ "$QUEUE" -gt 0 ]; then
    printf '  queue:\n    packages:\n'
    for i in $(seq "$QUEUE"); do printf '      - dev-libs/pkg%s-1.0\n' "$i"; done
  fi
  printf '  drones:\n'
  for i in $(seq "$DRONES"); do printf '    - name: drone-%s\n      labels: {cores: "16"}\n' "$i"; done
} > "$work/swarm.yaml"

"$BIN_DIR/swarm-controller" --listen 127.0.0.1:0 --state "$work/state.db" \
  --token-auth-file "$work/tokens.csv" --address-file "$work/addr" --log-level warn \
  > "$work/controller.log" 2>&1 &
for _ in $(seq 100); do [ -s "$work/addr" ] && break; sleep 0.1; done
url=$(cat "$work/addr")
"$BIN_DIR/swarmctl" --server "$url" --token admintoken apply -f "$work/swarm.yaml" >/dev/null
controller_pid=$(pgrep -f -n "swarm-controller --listen 127.0.0.1:0 --state $work/state.db")

# client SECONDS CLIENTS: the Python load client (below).
client() {
python3 - "$url" "$DRONES" "$2" "$1" "$QUEUE" <<'PY'
import json, socket, sys, threading, time
url, drones, clients, duration = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
host, port = url[len("http://"):].split(":")
report = {"deployVersion": "v1", "treeRevision": "rev", "health": "HEALTHY",
          "resources": {"cores": 16, "memoryBytes": 34359738368,
                        "memoryUsedPercent": 40.0, "diskUsedPercent": 50.0, "load1": 2.0},
          "actions": []}
held = {}  # drone -> the builds its last reply assigned, echoed back as agents do
lat, errors, lock = [], [0], threading.Lock()
deadline = time.monotonic() + duration
def client(k):
    # One write per request: a request split over two writes would measure
    # Nagle's algorithm against delayed ACKs (40 ms) instead of the controller.
    def connect():
        sock = socket.create_connection((host, int(port)), timeout=10)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, sock.makefile("rb")
    sock, reader = connect()
    i = k
    mine = []
    while time.monotonic() < deadline:
        d = i % drones + 1
        i += clients
        with lock:
            builds = held.get(d, [])
        body = json.dumps(dict(report, builds=builds))
        req = (f"POST /api/v1/drones/drone-{d}/heartbeat HTTP/1.1\r\nHost: {host}\r\n"
               f"Authorization: Bearer token-{d}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\n\r\n{body}").encode()
        t0 = time.monotonic()
        sock.sendall(req)
        first = reader.readline()
        if not first:  # the server ends keep-alive after a few requests: reconnect, resend
            sock.close()
            sock, reader = connect()
            t0 = time.monotonic()
            sock.sendall(req)
            first = reader.readline()
        status = int(first.split()[1])
        length = 0
        while True:
            line = reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        reply = reader.read(length)
        mine.append(time.monotonic() - t0)
        if status == 200:
            got = json.loads(reply).get("assignments", [])
            with lock:
                held[d] = [{"assignment": a["id"], "package": a["package"], "state": "Running"}
                           for a in got]
        if status != 200:
            with lock: errors[0] += 1
    with lock: lat.extend(mine)
threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
[t.start() for t in threads]; [t.join() for t in threads]
lat.sort()
n = len(lat)
pct = lambda p: lat[min(n - 1, int(p * n))] * 1000
print(f"drones={drones} clients={clients} seconds={duration:g} queue={sys.argv[5]}")
print(f"heartbeats={n} errors={errors[0]} rate={n/duration:.0f}/s "
      f"p50={pct(0.5):.2f}ms p99={pct(0.99):.2f}ms max={lat[-1]*1000:.2f}ms")
PY
}

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


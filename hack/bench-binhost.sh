#!/usr/bin/env bash
# Heartbeat latency while the binhost is busy: PUBLISHED packages are
# published (one of them a BIG_GIB GiB file), the binhost check re-hashes
# every file on every pass, and one published file goes bad every second, so
# the controller requeues it and rewrites the index of every published
# package, again and again, while CLIENTS clients send heartbeats for DRONES
# drones. Traffic stays on 127.0.0.1; the run is bounded in time.
#   BIN_DIR    binaries (default: the optimized build hack/bench-heartbeat.sh makes)
#   DRONES     roster size (default: 2000)
#   PUBLISHED  published packages (default: 20000)
#   BIG_GIB    size of the largest one, GiB (default: 2; a sparse file)
#   CLIENTS    concurrent clients (default: 8)
#   SECONDS_   how long to measure (default: 20)
#   FULL_EVERY passed as --binhost-full-check-every (default: 1, every pass);
#              set it empty for a controller that predates the flag
#   KEEP       1: keep the work directory (state, binhost, controller.log)
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$SWARM_ROOT/hack/lib/bench.sh"
bench::binaries
DRONES=${DRONES:-2000}
PUBLISHED=${PUBLISHED:-20000}
BIG_GIB=${BIG_GIB:-2}
CLIENTS=${CLIENTS:-8}
DURATION=${SECONDS_:-20}
FULL_EVERY=${FULL_EVERY-1}
work=$(mktemp -d /tmp/build-swarm-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

bench::roster "$work" "$DRONES" "$PUBLISHED"
controller() {
  local full=()
  [ -n "$FULL_EVERY" ] && full=(--binhost-full-check-every "$FULL_EVERY")
  bench::controller "$work" --binhost-dir "$work/binhost" --binhost-check-interval 1s "${full[@]}"
}

# 1. The queue, as the controller stores it.
controller
"$BIN_DIR/swarmctl" --server "$url" --token admintoken apply -f "$work/swarm.yaml" >/dev/null
for _ in $(seq 300); do
  n=$("$BIN_DIR/swarmctl" --server "$url" --token admintoken get packages -o json |
      python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
  [ "$n" = "$PUBLISHED" ] && break
  sleep 0.2
done
kill "$controller_pid"; wait "$controller_pid" || true

# 2. Every package published: its file on the binhost and Complete in the store.
python3 - "$work" "$PUBLISHED" "$BIG_GIB" <<'PY'
import hashlib, json, os, sqlite3, sys
work, published, big_gib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect(os.path.join(work, "state.db"))
rows = db.execute("SELECT name, package FROM packages ORDER BY position").fetchall()
assert len(rows) == published, len(rows)
for k, (name, text) in enumerate(rows):
    cat, pf = name.split("/")
    pn = pf.rsplit("-", 1)[0]
    path = f"{cat}/{pn}/{pf}-1.gpkg.tar"
    full = os.path.join(work, "binhost", path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    if k == 0:
        with open(full, "wb") as f:
            f.truncate(big_gib << 30)
        h = hashlib.sha256()
        with open(full, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        digest, size = h.hexdigest(), big_gib << 30
    else:
        data = (name + "\n").encode() * 64
        with open(full, "wb") as f:
            f.write(data)
        digest, size = hashlib.sha256(data).hexdigest(), len(data)
    p = json.loads(text)
    p["status"].update(phase="Complete", drone="drone-1", buildMs=1000,
                       binpkg={"path": path, "size": size, "sha256": digest},
                       completedAt="2026-12-06T00:00:00Z",
                       indexEntry=f"CPV: {name}\nEAPI: 8\nSLOT: 0\n")
    db.execute("UPDATE packages SET package = ? WHERE name = ?", (json.dumps(p), name))
db.commit()
PY

# 3. Heartbeats, while files go bad and the index is rewritten.
controller
(
  k=1
  while true; do
    sleep 1
    k=$((k + 1))
    f=$(printf '%s/binhost/dev-libs/pkg%s/pkg%s-1.0-1.gpkg.tar' "$work" "$k" "$k")
    [ -f "$f" ] && : > "$f"
  done
) &
corrupter=$!
bench::load "$DRONES" "$CLIENTS" "$DURATION"
kill "$corrupter"
events=$(python3 - "$url" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/api/v1/events?kind=Package&limit=1000",
                             headers={"Authorization": "Bearer admintoken"})
items = json.load(urllib.request.urlopen(req)).get("items", [])
print(sum(e.get("count", 1) for e in items if e.get("reason") == "BinpkgCorrupt"))
PY
)
echo "published=$PUBLISHED big=${BIG_GIB}GiB files found bad and requeued (each an index rewrite): $events"
head -c 200 "$work/binhost/Packages" | head -3 | tr '\n' ' '; echo

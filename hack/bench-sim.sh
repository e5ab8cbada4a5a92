#!/usr/bin/env bash
# swarm-sim on the committed workloads (sim/workloads/*.json) and the
# five-drone roster: the wall time of each simulated @world, the makespan
# against its lower bound, the fifo baseline in the same run, and one drone
# killed a third of the way through. Then the same profiles with seeds the
# scheduler was not tuned on, and the synthetic workload at N packages.
#   N   packages of the synthetic workload (default 1500)
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$SWARM_ROOT/hack/lib/deps.sh"
swarm::configure "$SWARM_ROOT/_out/release" RelWithDebInfo -DSWARM_BUILD_TESTS=OFF
swarm::build "$SWARM_ROOT/_out/release" swarm-sim
N=${N:-1500}
sim="$SWARM_ROOT/_out/release/bin/swarm-sim"
roster="$SWARM_ROOT/sim/workloads/five-drones.yaml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One line per run: wall time, makespan, its ratio to the bound, and the rest.
run() {
  local label=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$sim" --swarm "$roster" -o json "$@" > "$work/out.json"
  end=$(date +%s.%N)
  python3 - "$label" "$start" "$end" "$work/out.json" <<'PY'
import json, sys
label, start, end, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
j = json.load(open(path))
line = (f"{label:34s} wall {end - start:5.2f}s  packages {sum(j['phases'].values()):5d}  "
        f"makespan {j['makespanSeconds'] / 3600:5.2f}h  x bound {j['ratioToLowerBound']:.2f}")
if "compare" in j:
    line += f"  vs fifo {100 * (1 - j['compare']['makespanVsFifo']):5.1f}% shorter"
if "ratioToRemainingLowerBound" in j:
    line += (f"  x bound without it {j['ratioToRemainingLowerBound']:.2f}"
             f"  built twice {j['builtTwice']}  not complete "
             f"{sum(v for k, v in j['phases'].items() if k != 'Complete')}")
print(line)
PY
}

for profile in kde-desktop gnome-desktop workstation; do
  w="$SWARM_ROOT/sim/workloads/$profile.json"
  run "$profile" --workload "$w" --compare fifo
  # A third of the way: the critical-path makespan above is about 3.5 h.
  run "$profile kill:d32@70m" --workload "$w" --fault kill:d32@70m
  run "$profile kill:d16@70m" --workload "$w" --fault kill:d16@70m
done
for profile in kde-desktop gnome-desktop workstation; do
  for seed in 101 202; do
    python3 "$SWARM_ROOT/sim/workloads/world.py" "$profile" "$seed" > "$work/w.json"
    run "$profile seed $seed (not tuned on)" --workload "$work/w.json" --compare fifo
  done
done
python3 "$SWARM_ROOT/sim/workloads/synthetic.py" "$N" > "$work/synthetic.json"
run "synthetic $N (not tuned on)" --workload "$work/synthetic.json" --compare fifo

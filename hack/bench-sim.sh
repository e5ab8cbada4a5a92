#!/usr/bin/env bash
# Times swarm-sim on the synthetic workload (sim/workloads/synthetic.py, N
# packages) and the five-drone roster: the wall time of a whole simulated
# @world, and the simulated makespan against its lower bound.
#   N   packages (default 1500)
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$SWARM_ROOT/hack/lib/deps.sh"
swarm::configure "$SWARM_ROOT/_out/release" RelWithDebInfo -DSWARM_BUILD_TESTS=OFF
swarm::build "$SWARM_ROOT/_out/release" swarm-sim
N=${N:-1500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$SWARM_ROOT/sim/workloads/synthetic.py" "$N" > "$work/workload.json"
start=$(date +%s.%N)
"$SWARM_ROOT/_out/release/bin/swarm-sim" --swarm "$SWARM_ROOT/sim/workloads/five-drones.yaml" \
  --workload "$work/workload.json" | head -4
end=$(date +%s.%N)
echo "packages=$N wall=$(python3 -c "print(f'{$end - $start:.2f}')")s"

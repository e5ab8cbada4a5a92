#!/usr/bin/env bash
# Turns a machine's own @world into a swarm-sim workload: the merge list of
# `emerge --pretend --tree` and the build times in its emerge.log (what
# qlop and genlop read). Builds swarm-sim when needed, then runs
# `swarm-sim workload` (docs/simulator.md, "Your own @world").
#
#   emerge --pretend --tree --color=n --nospinner --update --deep --newuse @world > pretend.txt
#   hack/emerge-to-workload.sh --pretend pretend.txt --emerge-log /var/log/emerge.log \
#       --cores "$(nproc)" > world.json
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$SWARM_ROOT/hack/lib/deps.sh"
if [[ ! -x "$SWARM_ROOT/_out/release/bin/swarm-sim" ]]; then
  swarm::configure "$SWARM_ROOT/_out/release" RelWithDebInfo -DSWARM_BUILD_TESTS=OFF >&2
  swarm::build "$SWARM_ROOT/_out/release" swarm-sim >&2
fi
exec "$SWARM_ROOT/_out/release/bin/swarm-sim" workload "$@"

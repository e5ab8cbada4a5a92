# shellcheck shell=bash
# Sourced by hack/bench-*.sh: the optimized binaries, a roster's tokens and
# Swarm, a controller on 127.0.0.1, and the heartbeat load client.

# bench::binaries: sets BIN_DIR, building the three programs optimized into
# _out/release unless BIN_DIR is set (the tests' build is unoptimized and would
# measure the compiler, not the controller).
bench::binaries() {
  [ -n "${BIN_DIR:-}" ] && return 0
  source "$SWARM_ROOT/hack/lib/deps.sh"
  swarm::install_deps
  swarm::configure "$SWARM_ROOT/_out/release" RelWithDebInfo -DSWARM_BUILD_TESTS=OFF
  swarm::build "$SWARM_ROOT/_out/release" swarm-controller swarm-agent swarmctl
  BIN_DIR=$SWARM_ROOT/_out/release/bin
}

# bench::roster DIR DRONES QUEUE: DIR/tokens.csv (admintoken, token-N for
# drone-N) and DIR/swarm.yaml (DRONES drones of 16 cores; QUEUE packages
# dev-libs/pkgN-1.0 in spec.queue.packages).
bench::roster() {
  local dir=$1 drones=$2 queue=$3 i
  {
    echo "admintoken,admin,admin"
    for i in $(seq "$drones"); do echo "token-$i,drone-$i,agent"; done
  } > "$dir/tokens.csv"
  chmod 600 "$dir/tokens.csv"
  {
    printf 'apiVersion: buildswarm.io/v1alpha1\nkind: Swarm\nmetadata: {name: bench}\nspec:\n'
    printf '  portage: {treeRevision: rev}\n  deploy: {version: v1}\n'
    if [ "$queue" -gt 0 ]; then
      printf '  queue:\n    packages:\n'
      for i in $(seq "$queue"); do printf '      - dev-libs/pkg%s-1.0\n' "$i"; done
    fi
    printf '  drones:\n'
    for i in $(seq "$drones"); do printf '    - name: drone-%s\n      labels: {cores: "16"}\n' "$i"; done
  } > "$dir/swarm.yaml"
}

# bench::controller DIR [FLAG...]: starts the controller on DIR/state.db and
# DIR/tokens.csv, logging to DIR/controller.log; sets url and controller_pid.
bench::controller() {
  local dir=$1
  shift
  rm -f "$dir/addr"
  "$BIN_DIR/swarm-controller" --listen 127.0.0.1:0 --state "$dir/state.db" \
    --token-auth-file "$dir/tokens.csv" --address-file "$dir/addr" --log-level warn "$@" \
    >> "$dir/controller.log" 2>&1 &
  controller_pid=$!
  for _ in $(seq 100); do [ -s "$dir/addr" ] && break; sleep 0.1; done
  url=$(cat "$dir/addr")
}

# bench::load DRONES CLIENTS SECONDS: the heartbeat load client against $url.
bench::load() {
  python3 "$SWARM_ROOT/hack/lib/heartbeat-load.py" "$url" "$@"
}

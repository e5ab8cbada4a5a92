#!/usr/bin/env bash
# Starts a local build swarm on 127.0.0.1: a controller and one agent per
# roster member of examples/swarm.yaml, each agent on its own copy of a fake
# portage tree; applies the swarm and shows the drones. Runs until Ctrl-C,
# then stops everything and removes what it made. Everything talks HTTPS with
# client certificates, from a throwaway CA made here (hack/lib/make-certs.sh);
# swarmctl finds the server, token and certificates in $WORK_DIR/swarmctl.yaml
# ($SWARMCTL_CONFIG).
#
# Settings (environment):
#   BUILD_DIR        build directory, shared with hack/test.sh (default: _out/build);
#                    only the three programs are built, and only when out of date
#   BIN_DIR          use binaries from here and skip the build (default: $BUILD_DIR/bin)
#   SKIP_BUILD       1: do not install packages or build (default: 0)
#   CONTROLLER_PORT  API port on 127.0.0.1; 0 picks a free one (default: 7800)
#   SWARM_FILE       the Swarm to apply (default: examples/swarm.yaml)
#   AGENTS           drone names to start agents for (default: drone-izar drone-meridian desktop)
#   WORK_DIR         where state, logs and trees go (default: a new temp dir, removed on exit)
#   READY_TIMEOUT    seconds to wait for every drone to be Ready (default: 60)
#   ONESHOT          1: exit once the queue is built, instead of running until Ctrl-C
#   BUILD_SECONDS    how long each fake build takes (default: 1)
#   DEMO_PORTAGE     real: drones run real portage (hack/real-portage) on its test
#                    repository; fake: the fake emerge (hack/fake-portage); auto
#                    (default): real when a portage release tarball is at hand
#                    ($SWARM_PORTAGE_TARBALL, or ../shared/portage/ beside the
#                    project), else fake. Nothing is downloaded in auto.
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$SWARM_ROOT/hack/lib/deps.sh"
source "$SWARM_ROOT/hack/lib/fake-drone.sh"
source "$SWARM_ROOT/hack/real-portage/lib.sh"

BUILD_DIR=${BUILD_DIR:-$SWARM_BUILD_DIR_DEFAULT}
BIN_DIR=${BIN_DIR:-$BUILD_DIR/bin}
SKIP_BUILD=${SKIP_BUILD:-0}
CONTROLLER_PORT=${CONTROLLER_PORT:-7800}
SWARM_FILE=${SWARM_FILE:-$SWARM_ROOT/examples/swarm.yaml}
AGENTS=${AGENTS:-drone-izar drone-meridian desktop}
READY_TIMEOUT_SET=${READY_TIMEOUT:-}
READY_TIMEOUT=${READY_TIMEOUT:-60}
ONESHOT=${ONESHOT:-0}
BUILD_SECONDS=${BUILD_SECONDS:-1}
DEMO_PORTAGE=${DEMO_PORTAGE:-auto}
if [ "$DEMO_PORTAGE" = auto ]; then
  DEMO_PORTAGE=fake
  if [ -n "${SWARM_PORTAGE_TARBALL:-}" ] ||
    [ -f "$SWARM_ROOT/../shared/portage/portage-$REALPORTAGE_VERSION.tar.xz" ]; then
    DEMO_PORTAGE=real
  fi
fi
case $DEMO_PORTAGE in
  real) READY_TIMEOUT=${READY_TIMEOUT_SET:-${READY_TIMEOUT_REAL:-600}} ;;
  fake) ;;
  *) echo "DEMO_PORTAGE=$DEMO_PORTAGE: expected real, fake or auto" >&2; exit 2 ;;
esac
own_work_dir=0
if [ -z "${WORK_DIR:-}" ]; then
  WORK_DIR=$(mktemp -d /tmp/build-swarm-local.XXXXXX)
  own_work_dir=1
fi

pids=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local jobs_left
  jobs_left=$(jobs -p)
  [ -n "$jobs_left" ] && kill $jobs_left 2>/dev/null
  wait 2>/dev/null
  if [ "$own_work_dir" = 1 ]; then
    # A failed run keeps its logs for a person to read.
    if [ "$rc" = 0 ]; then rm -rf "$WORK_DIR"; else echo "!!! logs kept in $WORK_DIR" >&2; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

if [ "$SKIP_BUILD" != 1 ]; then
  swarm::install_deps
  swarm::configure "$BUILD_DIR" "${BUILD_TYPE:-$SWARM_BUILD_TYPE_DEFAULT}"
  swarm::build "$BUILD_DIR" swarm-controller swarm-agent swarmctl
fi
for b in swarm-controller swarm-agent swarmctl; do
  [ -x "$BIN_DIR/$b" ] || { echo "no $BIN_DIR/$b: build first or unset SKIP_BUILD" >&2; exit 1; }
done

token() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
admin_token=$(token)
viewer_token=$(token)
{
  echo "# token,name,role"
  echo "$admin_token,admin,admin"
  # The dashboard's: it reads, and needs no client certificate.
  echo "$viewer_token,dashboard,viewer"
} > "$WORK_DIR/tokens.csv"
for a in $AGENTS; do
  t=$(token)
  echo "$t,$a,agent" >> "$WORK_DIR/tokens.csv"
  mkdir -p "$WORK_DIR/drones/$a"
  echo "$t" > "$WORK_DIR/drones/$a/token"
done
chmod 600 "$WORK_DIR/tokens.csv" "$WORK_DIR"/drones/*/token
echo "$admin_token" > "$WORK_DIR/admin.token"
chmod 600 "$WORK_DIR/admin.token"

swarm::say "making a throwaway CA and certificates ($WORK_DIR/pki)"
# shellcheck disable=SC2086  # AGENTS is a list of names
"$SWARM_ROOT/hack/lib/make-certs.sh" "$WORK_DIR/pki" admin $AGENTS

if [ "$DEMO_PORTAGE" = real ]; then
  portage_tree=$(realportage::tree)
  swarm::say "portage: real portage $REALPORTAGE_VERSION ($portage_tree), on its test repository"
  read -r rev1 rev2 < <(realportage::make_repo "$WORK_DIR/tree")
  echo "    $WORK_DIR/tree (revisions $rev1, $rev2): each drone builds @world of revision 2 from source"
  # The example's roster and policy, on the test repository's second revision.
  sed "s|^\(    treeRevision: \)[0-9a-f]*|\1$rev2|" "$SWARM_FILE" > "$WORK_DIR/swarm.yaml"
  SWARM_FILE=$WORK_DIR/swarm.yaml
else
  swarm::say "portage: the fake emerge (hack/fake-portage; DEMO_PORTAGE=real runs real portage)"
  read -r rev1 rev2 < <("$SWARM_ROOT/hack/fake-portage/make-tree.sh" "$WORK_DIR/tree")
  echo "    $WORK_DIR/tree (revisions $rev1, $rev2)"
fi

swarm::say "starting the controller (log: $WORK_DIR/controller.log)"
"$BIN_DIR/swarm-controller" --listen "127.0.0.1:$CONTROLLER_PORT" --state "$WORK_DIR/controller.db" \
  --token-auth-file "$WORK_DIR/tokens.csv" --address-file "$WORK_DIR/controller.address" \
  --tls-cert-file "$WORK_DIR/pki/server.pem" --tls-private-key-file "$WORK_DIR/pki/server.key" \
  --client-ca-file "$WORK_DIR/pki/ca.pem" >"$WORK_DIR/controller.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  [ -s "$WORK_DIR/controller.address" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || { swarm::fail "starting the controller" "$WORK_DIR/controller.log"; exit 1; }
  sleep 0.1
done
[ -s "$WORK_DIR/controller.address" ] || { swarm::fail "starting the controller" "$WORK_DIR/controller.log"; exit 1; }
server=$(cat "$WORK_DIR/controller.address")
cat > "$WORK_DIR/swarmctl.yaml" <<YAML
server: $server
tokenFile: admin.token
certificateAuthority: pki/ca.pem
clientCertificate: pki/admin.pem
clientKey: pki/admin.key
YAML
export SWARMCTL_CONFIG=$WORK_DIR/swarmctl.yaml
echo "    listening on $server"
echo "    dashboard: $server/#token=$viewer_token"
echo "      (a read-only token; the browser warns about this demo's own CA until you accept it)"
swarm::say "starting agents: $AGENTS (logs: $WORK_DIR/drones/<name>/agent.log)"

for a in $AGENTS; do
  d=$WORK_DIR/drones/$a
  # Each drone starts one revision behind, on its own clone of the tree.
  git clone -q "$WORK_DIR/tree" "$d/repo"
  git -C "$d/repo" checkout -q --detach rev-1
  fake_drone::config "$d" "$a" "$server" "$WORK_DIR/pki"
  # It reports the size its labels give it (the controller counts no more).
  read -r cores memory <<<"$(fake_drone::labels "$SWARM_FILE" "$a")"
  if [ -n "${cores:-}" ]; then fake_drone::proc "$d" "$cores" "$memory"; fi
  if [ "$DEMO_PORTAGE" = real ]; then
    # A prefix of its own whose repository is the drone's clone: emerge,
    # PKGDIR, PORTAGE_TMPDIR and emerge.log are the prefix's.
    realportage::make_prefix "$d/prefix" "$d/repo" >/dev/null
    realportage::select "$d/prefix"
    sed -i -e "s|^  pkgDir: .*|  pkgDir: $d/prefix/var/cache/binpkgs|" \
      -e "s|^  tmpDir: .*|  tmpDir: $d/prefix/var/tmp|" \
      -e "s|^  emerge: .*|  emerge: $d/prefix/emerge|" \
      -e "s|^  emergeLog: .*|  emergeLog: $d/prefix/var/log/emerge.log|" "$d/agent.yaml"
  else
    # The fake emerge reads this drone's tree; deploys go through the fake hook.
    printf '#!/bin/sh\nFAKE_EMERGE_BUILD_SECONDS=%s exec %s --fake-repo %s "$@"\n' \
      "$BUILD_SECONDS" "$SWARM_ROOT/hack/fake-portage/emerge" "$d/repo" > "$d/bin/emerge"
    chmod +x "$d/bin/emerge"
  fi
  "$BIN_DIR/swarm-agent" --config "$d/agent.yaml" >"$d/agent.log" 2>&1 &
  pids+=($!)
done

swarm::say "applying $SWARM_FILE"
"$BIN_DIR/swarmctl" apply -f "$SWARM_FILE" | sed 's/^/    /'

deadline=$((SECONDS + READY_TIMEOUT))
swarm::say "waiting for the drones to be Ready"
until [ "$("$BIN_DIR/swarmctl" get drones | awk 'NR > 1 && $2 != "True"' | wc -l)" = 0 ]; do
  if [ $SECONDS -ge $deadline ]; then
    echo "!!! waiting for the drones failed: not Ready after ${READY_TIMEOUT}s; logs in $WORK_DIR" >&2
    "$BIN_DIR/swarmctl" get drones -o wide >&2
    exit 1
  fi
  sleep 0.5
done
echo
"$BIN_DIR/swarmctl" get drones
echo
# Every drone starts without a deploy marker and one tree revision behind:
# the controller deploys, syncs and discovers the queue on its own.
swarm::say "waiting for the controller to deploy, sync and discover the queue"
until "$BIN_DIR/swarmctl" get swarm -o json | grep -q '"reason": "Converged"'; do
  if [ $SECONDS -ge $deadline ]; then
    echo "!!! waiting for convergence failed: not Converged in ${READY_TIMEOUT}s; logs in $WORK_DIR" >&2
    "$BIN_DIR/swarmctl" status >&2
    exit 1
  fi
  sleep 0.5
done
"$BIN_DIR/swarmctl" status
echo
# The queue is current: the drones build it, in dependency order, and upload
# each binary package to the controller's binhost.
swarm::say "waiting for the drones to build the queue"
if ! "$BIN_DIR/swarmctl" wait --for=condition=QueueComplete --timeout="$((deadline > SECONDS ? deadline - SECONDS : 0))s"; then
  echo "!!! waiting for the queue failed: not built in ${READY_TIMEOUT}s; logs in $WORK_DIR" >&2
  "$BIN_DIR/swarmctl" status >&2
  exit 1
fi
"$BIN_DIR/swarmctl" get packages
echo
# The queue built whole is cut into a release, verified and promoted.
swarm::say "waiting for the queue's release"
if ! "$BIN_DIR/swarmctl" wait --for=condition=Released --timeout=60s; then
  echo "!!! waiting for the release failed; logs in $WORK_DIR" >&2
  "$BIN_DIR/swarmctl" status >&2
  exit 1
fi
"$BIN_DIR/swarmctl" get releases
echo
echo "binary packages: $WORK_DIR/binhost (the drones' live tree, at $server/binhost/)"
echo "A host installs the promoted release, a complete and verified set, with"
echo "/etc/portage/binrepos.conf/build-swarm.conf (and FEATURES=getbinpkg):"
echo "    [build-swarm]"
echo "    priority = 10"
echo "    sync-uri = $server/binhost/current"
echo "    verify-signature = false"
echo "(it trusts this demo's CA, $WORK_DIR/pki/ca.pem, by SSL_CERT_FILE or the system's store)"
echo "Try: SWARMCTL_CONFIG=$SWARMCTL_CONFIG $BIN_DIR/swarmctl get packages -w"
echo "dashboard: $server/#token=$viewer_token"
if [ "$ONESHOT" = 1 ]; then
  # Built with the sanitizers (hack/test.sh --sanitize), a program prints what
  # it found to its log and may go on or die: either way the run has failed.
  if grep -l -e 'runtime error: ' -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
    "$WORK_DIR/controller.log" "$WORK_DIR"/drones/*/agent.log >&2; then
    echo "!!! sanitizer reports in the logs above" >&2
    exit 1
  fi
  exit 0
fi
echo "Running; Ctrl-C stops the swarm and removes $WORK_DIR."
while true; do sleep 3600 & wait $! || true; done

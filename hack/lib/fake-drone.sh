# shellcheck shell=bash
# Sourced by hack/local-up-swarm.sh and hack/bench-*.sh: a drone on this
# machine for the fake emerge, as a directory.

# fake_drone::config DIR NAME URL: DIR/agent.yaml for drone NAME heartbeating
# to URL, with its token in DIR/token, state, PKGDIR and PORTAGE_TMPDIR under
# DIR (made here), the tree in DIR/repo, emerge at DIR/bin/emerge (the
# caller writes it) and deploys through the fake hook.
fake_drone::config() {
  local d=$1 name=$2 url=$3
  mkdir -p "$d/state" "$d/pkgdir" "$d/tmpdir" "$d/bin"
  cat > "$d/agent.yaml" <<YAML
name: $name
controller: $url
tokenFile: $d/token
stateDir: $d/state
procRoot: /proc
portage:
  repoDir: $d/repo
  pkgDir: $d/pkgdir
  tmpDir: $d/tmpdir
  emerge: $d/bin/emerge
  # The host's own emerge.log, if it has one, says nothing of fake builds.
  emergeLog: ""
hooks:
  deploy: $SWARM_ROOT/hack/fake-portage/deploy-hook.sh $d/state {version}
YAML
}

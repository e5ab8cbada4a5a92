# shellcheck shell=bash
# Sourced by hack/local-up-swarm.sh and hack/bench-*.sh: a drone on this
# machine for the fake emerge, as a directory.

# fake_drone::config DIR NAME URL [PKI]: DIR/agent.yaml for drone NAME
# heartbeating to URL, with its token in DIR/token, state, PKGDIR and
# PORTAGE_TMPDIR under DIR (made here), the tree in DIR/repo, emerge at
# DIR/bin/emerge (the caller writes it) and deploys through the fake hook.
# With PKI (a hack/lib/make-certs.sh directory) it trusts PKI/ca.pem and
# presents PKI/NAME.pem.
fake_drone::config() {
  local d=$1 name=$2 url=$3 pki=${4:-}
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
  if [ -n "$pki" ]; then
    printf 'tls:\n  caFile: %s\n  certFile: %s\n  keyFile: %s\n' \
      "$pki/ca.pem" "$pki/$name.pem" "$pki/$name.key" >> "$d/agent.yaml"
  fi
}

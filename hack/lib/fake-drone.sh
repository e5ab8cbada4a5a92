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

# fake_drone::proc DIR CORES MEMORY: points DIR/agent.yaml's procRoot at a
# /proc of DIR's own (cpuinfo, meminfo, loadavg) for a machine of CORES
# cores and MEMORY (a quantity in Gi or Mi, e.g. 32Gi), so the drone
# reports the size its roster labels give it: the controller counts a
# report only up to its labels, and this host may well be smaller.
fake_drone::proc() {
  local d=$1 cores=$2 memory=$3 kb i
  case $memory in
    *Gi) kb=$(( ${memory%Gi} * 1024 * 1024 )) ;;
    *Mi) kb=$(( ${memory%Mi} * 1024 )) ;;
    *) echo "fake_drone::proc: memory $memory is not in Gi or Mi" >&2; return 1 ;;
  esac
  mkdir -p "$d/proc"
  for ((i = 0; i < cores; i++)); do printf 'processor\t: %d\n\n' "$i"; done > "$d/proc/cpuinfo"
  printf 'MemTotal:       %d kB\nMemAvailable:   %d kB\n' "$kb" $((kb * 9 / 10)) > "$d/proc/meminfo"
  echo "0.10 0.10 0.10 1/100 1" > "$d/proc/loadavg"
  sed -i "s|^procRoot: .*|procRoot: $d/proc|" "$d/agent.yaml"
}

# fake_drone::labels FILE NAME: "CORES MEMORY" from the cores and memory
# labels of roster member NAME in Swarm FILE (written in flow style on the
# line after its name, as in examples/swarm.yaml); nothing when it has none.
fake_drone::labels() {
  awk -v name="$2" '
    $0 ~ "- name: " name "$" { want = 1; next }
    want && /labels:/ {
      cores = ""; memory = ""
      if (match($0, /cores: *"?[0-9]+/)) { cores = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", cores) }
      if (match($0, /memory: *[0-9]+[GM]i/)) { memory = substr($0, RSTART, RLENGTH); sub(/memory: */, "", memory) }
      if (cores != "" && memory != "") print cores, memory
      exit
    }
    want && /- name:/ { exit }' "$1"
}

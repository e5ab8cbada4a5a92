#!/usr/bin/env bash
# Read-only checks of the service manifests (run by CTest):
#  - systemd's own verdict on the controller's sandboxing: the exposure
#    `systemd-analyze security` gives manifests/systemd/swarm-controller.service
#    must stay at or under 2.0 (it is 9.6 for a unit that sets nothing), and the
#    unit must run as its own user;
#  - every OpenRC script and conf.d file parses as sh, each conf.d file's
#    settings are the ones its script reads, with the same defaults, and the
#    controller's script runs as build-swarm;
#  - the Prometheus scrape config and alerting rules parse (promtool), and the
#    alerts fire on the controller's series, and only then
#    (manifests/prometheus/alerts_test.yml).
# Fix by editing manifests/; there is no update script.
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$SWARM_ROOT/hack/lib/deps.sh"
# systemd-analyze only reads the file here; nothing is started.
swarm::install_deps "${SWARM_TEST_DEB_PACKAGES[@]}"
m=$SWARM_ROOT/manifests
rc=0
unit=$m/systemd/swarm-controller.service
verdict=$(systemd-analyze security --offline=true --threshold=20 "$unit" 2>&1) || {
    echo "$verdict" | grep -v "^ *✓" >&2
    echo "!!! $unit: exposure over 2.0 (systemd-analyze security)" >&2
    rc=1
  }
echo "$verdict" | tail -1
grep -q '^User=build-swarm$' "$unit" || { echo "!!! $unit does not run as User=build-swarm" >&2; rc=1; }
grep -q '^ExecReload=.*-HUP' "$unit" || { echo "!!! $unit has no ExecReload sending SIGHUP" >&2; rc=1; }
for s in "$m"/openrc/swarm-* "$m"/openrc/conf.d/*; do
  sh -n "$s" || { echo "!!! $s does not parse" >&2; rc=1; }
done
# Each conf.d file shows every setting its script reads, with the script's own
# default: `#NAME="value"` there, `${NAME:-value}` (or `${NAME}`) in the script.
for conf in "$m"/openrc/conf.d/*; do
  s=$m/openrc/${conf##*/}
  while IFS= read -r line; do
    [[ $line =~ ^#([A-Z_]+)=\"(.*)\"$ ]] || continue
    name=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
    if [ -n "$value" ]; then want="\${$name:-$value}"; else want="\${$name}"; fi
    grep -qF -- "$want" "$s" ||
      { echo "!!! $conf: $name=\"$value\", but $s does not read $want" >&2; rc=1; }
  done <"$conf"
  while IFS= read -r name; do
    grep -q "^#$name=" "$conf" || { echo "!!! $s reads $name, which $conf does not show" >&2; rc=1; }
  done < <(grep -o '[$]{SWARM_[A-Z_]*' "$s" | cut -c3- | sort -u)
done
grep -q '^command_user="build-swarm:build-swarm"$' "$m/openrc/swarm-controller" ||
  { echo "!!! openrc/swarm-controller does not run as build-swarm" >&2; rc=1; }
p=$m/prometheus
promtool check config --syntax-only "$p/scrape.yml" >/dev/null ||
  { echo "!!! $p/scrape.yml is not a Prometheus config" >&2; rc=1; }
promtool check rules "$p/alerts.yml" >/dev/null || { echo "!!! $p/alerts.yml" >&2; rc=1; }
(cd "$p" && promtool test rules alerts_test.yml >/dev/null) ||
  { echo "!!! $p/alerts_test.yml: an alert fires when it should not, or not when it should" >&2; rc=1; }
exit $rc

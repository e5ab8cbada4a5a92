#!/usr/bin/env bash
# What `cmake --install` gives a distribution (run by CTest, in the GCC build
# only). It installs the build tree into a fresh DESTDIR, as a package build
# does, with --prefix /usr (the tree is configured for /usr/local: the prefix
# is only known at install time) and again with --prefix /usr/local, and checks:
#  - every expected file is there, with its mode, and nothing else: no test
#    binary, fuzzer or benchmark, no configuration of the operator's own (tokens,
#    keys, agent.yaml in /etc/build-swarm); install_manifest.txt lists them all;
#  - each installed program runs and prints this version (--version);
#  - systemd takes the installed units: `systemd-analyze verify`, rooted in the
#    DESTDIR, so every ExecStart= must name a program installed there; it only
#    warns of an unknown key or a value it cannot parse, so any output fails too;
#    and systemd-sysusers, rooted there, makes the user the controller runs as;
#  - the OpenRC scripts and their conf.d files parse (sh -n, bash -n), and each
#    script starts the program installed beside it.
#
#   tests/install/install_check.sh BUILD_DIR VERSION
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$SWARM_ROOT/hack/lib/deps.sh"
build=$(cd "$1" && pwd) version=$2
swarm::install_deps systemd

programs=(swarm-controller swarm-agent swarmctl swarm-sim)
services=(swarm-controller swarm-agent)
rc=0
fail() { echo "!!! $*" >&2; rc=1; }
dests=()
trap 'rm -rf "${dests[@]}"' EXIT

# expected_files PREFIX SYSCONFDIR: "MODE PATH" of every file an installation
# at PREFIX holds, PATH relative to the DESTDIR.
expected_files() {
  local prefix=${1#/} etc=${2#/} doc=${1#/}/share/doc/build-swarm f
  for f in "${programs[@]}"; do echo "755 $prefix/bin/$f"; done
  for f in "${services[@]}"; do
    echo "644 $prefix/lib/systemd/system/$f.service"
    echo "755 $etc/init.d/$f"
    echo "644 $etc/conf.d/$f"
  done
  echo "644 $prefix/lib/sysusers.d/build-swarm.conf"
  echo "644 $doc/README.md"
  for f in "$SWARM_ROOT"/docs/*.md; do echo "644 $doc/${f##*/}"; done
  for f in swarm.yaml agent.yaml sim-swarm.yaml sim-workload.json tokens.csv.example \
    prometheus/alerts.yml prometheus/alerts_test.yml prometheus/scrape.yml; do
    echo "644 $doc/examples/$f"
  done
}

# check_install PREFIX SYSCONFDIR
check_install() {
  local prefix=$1 etc=$2 dest log bindir=$1/bin unitdir=$1/lib/systemd/system
  dest=$(mktemp -d /tmp/build-swarm-install.XXXXXX)
  dests+=("$dest")
  log=$dest.log
  dests+=("$log")
  echo "--- cmake --install $build --prefix $prefix (DESTDIR=$dest)"
  if ! DESTDIR=$dest cmake --install "$build" --prefix "$prefix" >"$log" 2>&1; then
    cat "$log" >&2
    fail "cmake --install --prefix $prefix failed"
    return
  fi

  local want got
  want=$(expected_files "$prefix" "$etc" | sort)
  got=$(cd "$dest" && find . ! -type d -printf '%m %P\n' | sort)
  if [ "$want" != "$got" ]; then
    fail "--prefix $prefix installs other files than expected (< expected, > installed):"
    diff <(echo "$want") <(echo "$got") | grep '^[<>]' >&2 || true
  fi
  # What a package manager (or `xargs rm`) takes as the list of installed files.
  if [ "$(sed 's|^/||' "$build/install_manifest.txt" | sort)" != "$(cut -d' ' -f2 <<<"$got" | sort)" ]; then
    fail "--prefix $prefix: install_manifest.txt does not list exactly the installed files"
  fi

  local p out
  for p in "${programs[@]}"; do
    if ! out=$("$dest$bindir/$p" --version 2>&1) || [[ $out != *"$version"* ]]; then
      fail "$bindir/$p --version: '$out' (want version $version)"
    fi
  done

  local s unit
  for s in "${services[@]}"; do
    unit=$dest$unitdir/$s.service
    grep -q "^ExecStart=$bindir/$s " "$unit" || fail "$unitdir/$s.service does not start $bindir/$s"
  done
  # Verified by name, rooted in the DESTDIR: systemd finds them on its own
  # search path there. Their dependencies (sysinit.target,
  # network-online.target, ...) are this machine's units, copied in (on a
  # path read inside the root, with the default path after it); ExecReload's
  # /bin/kill need only be an executable there.
  mkdir -p "$dest/host-units" "$dest/bin"
  cp -a /lib/systemd/system/. "$dest/host-units/"
  rm -f "$dest"/host-units/swarm-*
  printf '#!/bin/sh\n' >"$dest/bin/kill"
  chmod 755 "$dest/bin/kill"
  if ! out=$(SYSTEMD_UNIT_PATH=/host-units: systemd-analyze verify --root="$dest" \
    "${services[@]/%/.service}" 2>&1) || [ -n "$out" ]; then
    fail "systemd-analyze verify of the units installed with --prefix $prefix:"
    echo "$out" >&2
  fi
  local user
  user=$(sed -n 's/^User=//p' "$dest$unitdir/swarm-controller.service")
  if ! out=$(systemd-sysusers --root="$dest" --dry-run 2>&1) ||
    ! grep -q "^Creating user '$user'" <<<"$out"; then
    fail "systemd-sysusers does not make the controller's user '$user' from the sysusers.d entry installed with --prefix $prefix:"
    echo "$out" >&2
  fi

  local script conf command f
  for s in "${services[@]}"; do
    script=$dest$etc/init.d/$s conf=$dest$etc/conf.d/$s
    for f in "$script" "$conf"; do
      sh -n "$f" || fail "$f does not parse (sh -n)"
      bash -n "$f" || fail "$f does not parse (bash -n)"
    done
    # openrc-run reads the conf.d file, then the script.
    command=$(RC_SVCNAME=$s sh -c '. "$1" && . "$2" && echo "$command"' sh "$conf" "$script") ||
      command="(nothing: the script cannot be read)"
    if [ "$command" != "$bindir/$s" ] || [ ! -x "$dest$command" ]; then
      fail "$etc/init.d/$s starts '$command', not the installed $bindir/$s"
    fi
  done
}

check_install /usr /etc
check_install /usr/local /usr/local/etc
[ $rc -eq 0 ] && echo "--- installed files, programs, units and scripts are as expected"
exit $rc

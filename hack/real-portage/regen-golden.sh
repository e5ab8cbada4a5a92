#!/usr/bin/env bash
# Regenerates tests/golden/real-portage/ from real portage on the test
# repository (hack/real-portage/repo/): what emerge prints for discovery on
# both revisions, its real failures, a real PKGDIR/Packages and emerge.log.
# tests/golden/real-portage/README.md says what each file is and what was
# replaced by placeholders to make them stable. It builds the first revision
# whole (two to three minutes); run it after changing the repository, the
# prefix (lib.sh) or portage, then review the diff.
#
#   hack/real-portage/regen-golden.sh [--resolver-only] [OUT_DIR]
#       OUT_DIR: default tests/golden/real-portage. --resolver-only makes
#       only what needs no build (discovery on a fresh prefix, the missing
#       atoms, the slot conflict): what verify-golden.sh compares.
#
# Settings: those of hack/real-portage/lib.sh (SWARM_PORTAGE_TARBALL, ...);
# KEEP_WORK=1 keeps the work directory (its path is printed).
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$SWARM_ROOT/hack/real-portage/lib.sh"
resolver_only=0
if [ "${1:-}" = --resolver-only ]; then
  resolver_only=1
  shift
fi
out=${1:-$SWARM_ROOT/tests/golden/real-portage}
mkdir -p "$out" "$SWARM_ROOT/_out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "$SWARM_ROOT/_out/regen-golden.XXXXXX")
if [ "${KEEP_WORK:-}" = 1 ]; then
  echo "==> work directory: $work"
else
  trap 'rm -rf "$work"' EXIT
fi
tree=$(realportage::tree)
start=$SECONDS

# What differs from run to run becomes a placeholder (README.md): this run's
# paths, how long the resolver took (bare or coloured), the date in a build
# log's name.
stabilize() {
  sed -e "s|$work/drone|@PREFIX@|g" -e "s|$work/client|@PREFIX@|g" -e "s|$work/repo|@REPO@|g" \
    -e "s|$tree|@PORTAGE@|g" -e "s|$work|@WORK@|g" \
    -e 's/^\(Dependency resolution took \(\x1b\[[0-9;]*m\)\?\)[0-9.]*/\1@SECONDS@/' \
    -e 's/:[0-9]\{8\}-[0-9]\{6\}\.log/:@DATE@.log/g'
}

# capture NAME PREFIX ARGS...: emerge's combined output as a drone gets it,
# into OUT/NAME; its exit code goes to the manifest.
manifest=()
capture() {
  local name=$1 prefix=$2 rc=0
  shift 2
  (cd "$work/repo" && "$prefix/emerge" "$@") > "$work/$name" 2>&1 || rc=$?
  stabilize < "$work/$name" > "$out/$name"
  manifest+=("$name	$rc	emerge $*")
  echo "    $name (exit $rc)"
}

echo "==> the test repository and two prefixes (in $work)"
read -r rev1 rev2 < <(realportage::make_repo "$work/repo")
realportage::make_prefix "$work/drone" "$work/repo"
realportage::make_prefix "$work/client" "$work/repo"
realportage::select "$work/drone"
realportage::select "$work/client"
git -C "$work/repo" checkout -q rev-1
"$work/drone/egencache" --update --repo "$REALPORTAGE_REPO_NAME"

# Discovery's command (action_executor.cc) with the demo swarm's emergeArgs.
discover=(--pretend --tree --color=n --nospinner --update --deep --newuse --with-bdeps=y @world)
# A build's command (build_executor.cc).
build=(--oneshot --usepkg --getbinpkg --buildpkg --color=n --nospinner)

echo "==> revision 1 ($rev1): discovery, and failures"
capture pretend-tree-rev-1.txt "$work/drone" "${discover[@]}"
capture pretend-tree-verbose-rev-1.txt "$work/drone" "${discover[@]}" --verbose
capture pretend-tree-color-rev-1.txt "$work/drone" --pretend --tree --color=y --nospinner --update \
  --deep --newuse --with-bdeps=y @world
capture missing-atom.txt "$work/client" "${build[@]}" =app-misc/newcomer-1.0
capture slot-conflict.txt "$work/client" "${build[@]}" =app-misc/pin-both-1.0
NOCOLOR=false capture slot-conflict.color.txt "$work/client" --oneshot --usepkg --getbinpkg \
  --buildpkg --color=y --nospinner =app-misc/pin-both-1.0
if [ $resolver_only = 0 ]; then
  capture compile-failure.txt "$work/client" "${build[@]}" =app-misc/broken-1.0
  # A drone without NOCOLOR: ebuild messages coloured under --color=n.
  NOCOLOR=false capture compile-failure.color.txt "$work/client" "${build[@]}" =app-misc/broken-1.0

  echo "==> revision 1: building @world (every package from source)"
  t=$SECONDS
  if ! (cd "$work/repo" && "$work/drone/emerge" --color=n --nospinner --update --deep --newuse \
    @world) > "$work/build-world-rev-1.log" 2>&1; then
    echo "!!! building revision 1 failed; the end of its output:" >&2
    tail -n 40 "$work/build-world-rev-1.log" >&2
    exit 1
  fi
  build_rev1=$((SECONDS - t))
  echo "    built in ${build_rev1}s"
  # The index with its times set to one fixed number, so that it stays a
  # Packages file portage (and the readers) can take.
  sed -e 's/^\(TIMESTAMP\|MTIME\|BUILD_TIME\): [0-9]*$/\1: 1772359200/' \
    "$work/drone/var/cache/binpkgs/Packages" > "$out/Packages"
  (cd "$work/drone/var/cache/binpkgs" && find . -name '*.gpkg.tar' -printf '%P\n' | LC_ALL=C sort) \
    > "$out/binpkgs.txt"
  # emerge.log with its times moved so the first line is at 1772359200
  # (2026-03-01 10:00 UTC): durations stay real, the file stays stable.
  awk -F: -v base=1772359200 'NR == 1 { first = $1 } { sub(/^[0-9]+/, $1 - first + base); print }' \
    "$work/drone/var/log/emerge.log" | stabilize |
    sed 's/^\([0-9]*\): Started emerge on: .*/\1: Started emerge on: @DATE@/' > "$out/emerge.log"
fi

git -C "$work/repo" checkout -q rev-2
"$work/drone/egencache" --update --repo "$REALPORTAGE_REPO_NAME"
echo "==> revision 2 ($rev2): discovery on a fresh prefix"
capture pretend-tree-rev-2.txt "$work/client" "${discover[@]}"
capture pretend-tree-verbose-rev-2.txt "$work/client" "${discover[@]}" --verbose
capture missing-atom-rev-2.txt "$work/client" "${build[@]}" =app-misc/legacy-1.0
if [ $resolver_only = 0 ]; then
  echo "==> revision 2: discovery on the prefix that built revision 1"
  capture pretend-tree-rev-2-upgrade.txt "$work/drone" "${discover[@]}"
  capture pretend-tree-verbose-rev-2-upgrade.txt "$work/drone" "${discover[@]}" --verbose
  # Everything again, from the binary packages revision 1 left where it can:
  # [binary] lines, and a binary hoisted to a nomerge line over a build.
  capture pretend-tree-binary-rev-2.txt "$work/drone" "${discover[@]}" --usepkg --emptytree

  {
    echo "# What regen-golden.sh ran for each capture: file, exit code, command"
    echo "# (in the test repository's checkout; portage $REALPORTAGE_VERSION)."
    echo "# rev-1 $rev1"
    echo "# rev-2 $rev2"
    printf '%s\n' "${manifest[@]}"
  } > "$out/MANIFEST"
fi
echo "==> done in $((SECONDS - start))s${build_rev1:+ (revision 1 built in ${build_rev1}s)}; files in $out"

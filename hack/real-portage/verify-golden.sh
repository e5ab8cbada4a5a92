#!/usr/bin/env bash
# Checks that tests/golden/real-portage/ is what real portage prints today
# for the test repository: re-makes the captures that need no build
# (regen-golden.sh --resolver-only, about 20 s) and compares them with the
# committed ones. Read-only; hack/real-portage/regen-golden.sh fixes a
# difference (after a change to the repository, lib.sh's prefix or portage).
# Exits 77 (skipped) when no portage tarball is at hand: it never downloads.
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$SWARM_ROOT/hack/real-portage/lib.sh"
golden=$SWARM_ROOT/tests/golden/real-portage
tarball=${SWARM_PORTAGE_TARBALL:-$SWARM_ROOT/../shared/portage/portage-$REALPORTAGE_VERSION.tar.xz}
if [ ! -f "$tarball" ]; then
  echo "skipped: no portage tarball at $tarball (set SWARM_PORTAGE_TARBALL)"
  exit 77
fi
export SWARM_PORTAGE_TARBALL=$tarball
mkdir -p "$SWARM_ROOT/_out"
fresh=$(mktemp -d "$SWARM_ROOT/_out/verify-golden.XXXXXX")
trap 'rm -rf "$fresh"' EXIT
"$SWARM_ROOT/hack/real-portage/regen-golden.sh" --resolver-only "$fresh"
rc=0
for f in "$fresh"/*; do
  name=$(basename "$f")
  if ! diff -u "$golden/$name" "$f" > "$fresh/diff" 2>&1; then
    echo "!!! tests/golden/real-portage/$name differs from what portage prints now:"
    cat -v "$fresh/diff"
    rc=1
  fi
done
if [ $rc -ne 0 ]; then
  echo "!!! run hack/real-portage/regen-golden.sh and review the change" >&2
else
  echo "tests/golden/real-portage/ matches real portage ($(ls "$fresh" | wc -l) captures)"
fi
exit $rc

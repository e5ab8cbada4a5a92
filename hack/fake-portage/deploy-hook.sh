#!/usr/bin/env bash
# Stands in for hooks.deploy on a fake drone: "installs" the agent and build
# configuration bundle VERSION under STATE_DIR/bundle. It leaves
# DEPLOY_MARKER alone; the agent writes that once this exits 0.
#   deploy-hook.sh STATE_DIR VERSION
# Failure injection: when STATE_DIR/FAIL_DEPLOY exists, its text goes to
# stderr and the exit status is 1.
set -euo pipefail
state=${1:?usage: deploy-hook.sh STATE_DIR VERSION}
version=${2:?usage: deploy-hook.sh STATE_DIR VERSION}
case $version in
  */* | . | ..) echo "deploy-hook: not a bundle version: $version" >&2; exit 2 ;;
esac
if [ -e "$state/FAIL_DEPLOY" ]; then
  cat "$state/FAIL_DEPLOY" >&2
  exit 1
fi
mkdir -p "$state/bundle"
cat > "$state/bundle/$version.partial" <<BUNDLE
bundle: $version
agent: swarm-agent
make.conf: FEATURES="buildpkg binpkg-multi-instance" BINPKG_FORMAT="gpkg"
BUNDLE
mv "$state/bundle/$version.partial" "$state/bundle/$version"
echo "deployed bundle $version: wrote $state/bundle/$version"

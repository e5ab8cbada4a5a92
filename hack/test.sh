#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through CTest.
#   BUILD_DIR   build directory (default: _out/test)
#   BUILD_TYPE  CMake build type (default: RelWithDebInfo)
#   CTEST_ARGS  extra ctest arguments (e.g. "-R Foundation")
set -euo pipefail
SWARM_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$SWARM_ROOT/hack/lib/deps.sh"
BUILD_DIR=${BUILD_DIR:-$SWARM_ROOT/_out/test}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}

swarm::install_deps
swarm::build "$BUILD_DIR" "$BUILD_TYPE"
cd "$BUILD_DIR"
# shellcheck disable=SC2086
ctest --output-on-failure -j "$(nproc)" --timeout 300 ${CTEST_ARGS:-}

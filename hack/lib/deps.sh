# Sourced by hack/*.sh: installs the Debian packages the build needs when any
# is missing (as root), so both set-up commands work on a fresh machine.

SWARM_DEB_PACKAGES=(
  g++ cmake make pkg-config git
  libyaml-cpp-dev libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev
  libsqlite3-dev libcli11-dev libgtest-dev libgmock-dev libssl-dev
)

swarm::install_deps() {
  local missing=()
  for p in "${SWARM_DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]}; run as root or install them with apt-get" >&2
    return 1
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# Configures and builds into $1 (build type $2).
swarm::build() {
  local dir=$1 type=${2:-RelWithDebInfo}
  cmake -S "$SWARM_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

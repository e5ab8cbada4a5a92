# shellcheck shell=bash
# Sourced by hack/real-portage/*.sh and by tests: real portage (3.0.82),
# uninstalled, run in a prefix directory of its own on this Debian machine.
# What it needs and why is in ../shared/portage/README.md (from the project
# root); how to use this is in hack/real-portage/README.md.
#
#   realportage::tree             unpacks portage once; prints the tree's path
#   realportage::make_prefix DIR REPO_DIR [BINHOST_URL]
#                                 a prefix (a drone's or a client's) on the
#                                 ebuild repository REPO_DIR, with wrappers
#                                 DIR/emerge, DIR/ebuild, DIR/egencache
#   realportage::make_repo DIR    the test repository (hack/real-portage/repo/)
#                                 as a git repository with tags rev-1, rev-2
#
# Settings (environment):
#   SWARM_ROOT              the project's root (required)
#   SWARM_PORTAGE_TARBALL   portage's release tarball (default:
#                           $SWARM_ROOT/../shared/portage/portage-3.0.82.tar.xz)
#   SWARM_PORTAGE_CACHE     where trees are unpacked (default: $SWARM_ROOT/_out/real-portage)
#   SWARM_PORTAGE_PYTHON    the interpreter (default: Debian's /usr/bin/python3,
#                           else the first python3 on PATH, resolved past shims)

REALPORTAGE_VERSION=3.0.82
# The release as git makes it from its tag (the shared copy is that archive).
REALPORTAGE_URL=https://github.com/gentoo/portage/archive/refs/tags/portage-$REALPORTAGE_VERSION.tar.gz
# The test repository's name (profiles/repo_name of hack/real-portage/repo).
# shellcheck disable=SC2034  # read by the scripts that source this file
REALPORTAGE_REPO_NAME=swarm-test

: "${SWARM_ROOT:?SWARM_ROOT must name the project root}"

realportage::_die() { echo "!!! real-portage: $*" >&2; return 1; }

# realportage::python: the real interpreter's path (a pyenv shim costs a
# fork and a script per call, and portage starts ~20 interpreters per build).
realportage::python() {
  if [ -n "${SWARM_PORTAGE_PYTHON:-}" ]; then
    echo "$SWARM_PORTAGE_PYTHON"
  elif [ -x /usr/bin/python3 ]; then
    echo /usr/bin/python3
  else
    command -v python3 >/dev/null || { realportage::_die "no python3 (hack/lib/deps.sh installs it)"; return 1; }
    python3 -c 'import sys; print(sys.executable)'
  fi
}

# realportage::tarball: prints the release tarball's path, downloading it
# into the cache when neither $SWARM_PORTAGE_TARBALL nor the shared copy
# exists.
realportage::tarball() {
  local t=${SWARM_PORTAGE_TARBALL:-}
  if [ -n "$t" ]; then
    [ -f "$t" ] || { realportage::_die "SWARM_PORTAGE_TARBALL=$t does not exist"; return 1; }
    echo "$t"
    return 0
  fi
  t=$SWARM_ROOT/../shared/portage/portage-$REALPORTAGE_VERSION.tar.xz
  if [ -f "$t" ]; then
    (cd "$(dirname "$t")" && echo "$PWD/$(basename "$t")")
    return 0
  fi
  realportage::download
}

# realportage::download: fetches the release by its tag from the portage
# project into the cache (once) and prints its path. Only reached where no
# tarball is at hand.
realportage::download() {
  local cache=${SWARM_PORTAGE_CACHE:-$SWARM_ROOT/_out/real-portage}
  local dest=$cache/portage-$REALPORTAGE_VERSION.tar.gz
  if [ ! -s "$dest" ]; then
    command -v curl >/dev/null || { realportage::_die "no portage tarball and no curl to fetch $REALPORTAGE_URL"; return 1; }
    mkdir -p "$cache" || return 1
    echo "==> downloading portage $REALPORTAGE_VERSION from $REALPORTAGE_URL" >&2
    curl -fsSL --retry 3 -o "$dest.partial" "$REALPORTAGE_URL" &&
      mv "$dest.partial" "$dest" ||
      { rm -f "$dest.partial"; realportage::_die "cannot download $REALPORTAGE_URL"; return 1; }
  fi
  echo "$dest"
}

# realportage::tree: unpacks the tarball once into the cache, in a folder
# named by its SHA-256 (another tarball gets another folder), and prints the
# path of portage's tree (the folder holding bin/emerge).
realportage::tree() {
  local tarball cache digest dir tmp top
  tarball=$(realportage::tarball) || return 1
  cache=${SWARM_PORTAGE_CACHE:-$SWARM_ROOT/_out/real-portage}
  digest=$(sha256sum < "$tarball") || return 1
  dir=$cache/portage-${digest:0:16}
  if [ ! -f "$dir/.unpacked" ]; then
    mkdir -p "$cache" || return 1
    tmp=$(mktemp -d "$cache/unpack.XXXXXX") || return 1
    if ! tar -xaf "$tarball" -C "$tmp"; then
      rm -rf "$tmp"
      realportage::_die "cannot unpack $tarball"
      return 1
    fi
    # git archive puts everything under one folder (portage-3.0.82/).
    top=$(find "$tmp" -mindepth 2 -maxdepth 3 -path '*/bin/emerge' -printf '%h\n' | head -n 1)
    top=${top%/bin}
    if [ -z "$top" ] || [ ! -f "$top/.portage_not_installed" ]; then
      rm -rf "$tmp"
      realportage::_die "$tarball holds no uninstalled portage tree (bin/emerge, .portage_not_installed)"
      return 1
    fi
    # Another run may have unpacked it meanwhile: the first rename wins.
    if mv -T "$top" "$dir" 2>/dev/null; then
      touch "$dir/.unpacked"
    fi
    rm -rf "$tmp"
    [ -f "$dir/.unpacked" ] || { realportage::_die "cannot unpack into $dir"; return 1; }
  fi
  echo "$dir"
}

# realportage::_wrapper FILE TREE PYTHON PREFIX REPOS_TEXT PROGRAM: a script
# that runs portage's PROGRAM on the prefix.
realportage::_wrapper() {
  local file=$1 tree=$2 python=$3 prefix=$4 repos=$5 program=$6
  {
    echo "#!/usr/bin/env bash"
    echo "# portage's $program on the prefix $prefix (made by hack/real-portage/lib.sh)."
    printf 'export PORTAGE_OVERRIDE_EPREFIX=%q\n' "$prefix"
    printf 'export PORTAGE_REPOSITORIES=%q\n' "$repos"
    # Ebuild phases colour their messages even under --color=n unless
    # NOCOLOR is true; NOCOLOR=false shows what a drone without it prints.
    echo 'export NOCOLOR=${NOCOLOR:-true}'
    # Not the caller's: portage would take them over make.conf's.
    echo "unset PKGDIR PORTAGE_TMPDIR DISTDIR ROOT PORTAGE_CONFIGROOT EMERGE_DEFAULT_OPTS"
    if [ "$program" = egencache ]; then
      # egencache ignores its environment: the repositories go as an option.
      printf 'exec %q %q --repositories-configuration "$PORTAGE_REPOSITORIES" "$@"\n' \
        "$python" "$tree/bin/$program"
    else
      printf 'exec %q %q "$@"\n' "$python" "$tree/bin/$program"
    fi
  } > "$file" && chmod 755 "$file"
}

# realportage::make_prefix DIR REPO_DIR [BINHOST_URL]: a prefix in DIR (made
# afresh: what an earlier run installed there would change what emerge
# resolves) on the ebuild repository REPO_DIR, with its profile
# (REPO_DIR/profiles/default). PKGDIR is DIR/var/cache/binpkgs,
# PORTAGE_TMPDIR DIR/var/tmp, DISTDIR DIR/var/cache/distfiles, the world
# file DIR/var/lib/portage/world (empty: realportage::select fills it).
# With BINHOST_URL, etc/portage/binrepos.conf names it (for a client that
# installs with --getbinpkg). Writes DIR/emerge, DIR/ebuild and
# DIR/egencache, which run real portage on the prefix.
realportage::make_prefix() {
  local dir=${1:?usage: realportage::make_prefix DIR REPO_DIR [BINHOST_URL]}
  local repo=${2:?usage: realportage::make_prefix DIR REPO_DIR [BINHOST_URL]}
  local binhost=${3:-}
  local tree python name repos user group
  tree=$(realportage::tree) || return 1
  python=$(realportage::python) || return 1
  [ -f "$repo/profiles/repo_name" ] || { realportage::_die "$repo has no profiles/repo_name"; return 1; }
  [ -d "$repo/profiles/default" ] || { realportage::_die "$repo has no profile at profiles/default"; return 1; }
  repo=$(cd "$repo" && pwd) || return 1
  name=$(< "$repo/profiles/repo_name")
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  dir=$(cd "$dir" && pwd) || return 1
  user=$(id -un) group=$(id -gn)

  mkdir -p "$dir/etc/portage/repos.conf" "$dir/usr/share/portage/config/sets" \
    "$dir/var/cache/binpkgs" "$dir/var/cache/distfiles" "$dir/var/tmp" \
    "$dir/var/lib/portage" "$dir/var/log" || return 1
  ln -s "$tree/cnf/make.globals" "$dir/usr/share/portage/config/make.globals" || return 1
  ln -s "$tree/cnf/sets/portage.conf" "$dir/usr/share/portage/config/sets/portage.conf" || return 1
  ln -s "$repo/profiles/default" "$dir/etc/portage/make.profile" || return 1
  repos="[DEFAULT]
main-repo = $name

[$name]
location = $repo
"
  printf '%s' "$repos" > "$dir/etc/portage/repos.conf/$name.conf" || return 1
  cat > "$dir/etc/portage/make.conf" <<MAKECONF || return 1
# A prefix for real portage, made by hack/real-portage/lib.sh.
PORTAGE_USERNAME="$user"
PORTAGE_GRPNAME="$group"
FEATURES="-sandbox -usersandbox -ipc-sandbox -network-sandbox -pid-sandbox -mount-sandbox -userpriv -usersync -userfetch -news -merge-wait buildpkg binpkg-multi-instance"
BINPKG_FORMAT="gpkg"
BINPKG_COMPRESS="zstd"
PKGDIR="$dir/var/cache/binpkgs"
PORTAGE_TMPDIR="$dir/var/tmp"
DISTDIR="$dir/var/cache/distfiles"
PORT_LOGDIR="$dir/var/log/portage"
CFLAGS="-O2 -pipe"
CXXFLAGS="\${CFLAGS}"
MAKEOPTS="-j1"
MAKECONF
  if [ -n "$binhost" ]; then
    # verify-signature: portage 3.0.82 refuses an unsigned gpkg from a
    # binhost ("binpkg appears unsigned", GnuPG verification failed) and our
    # drones sign nothing.
    printf '[%s]\npriority = 1\nsync-uri = %s\nverify-signature = false\n' \
      "swarm-binhost" "$binhost" > "$dir/etc/portage/binrepos.conf" || return 1
  fi
  : > "$dir/var/lib/portage/world" || return 1
  local p
  for p in emerge ebuild egencache; do
    realportage::_wrapper "$dir/$p" "$tree" "$python" "$dir" "$repos" "$p" || return 1
  done
}

# realportage::select DIR [ATOM...]: the prefix's @selected (its world
# file) is the ATOMs; none: the test repository's (hack/real-portage/world).
realportage::select() {
  local dir=${1:?usage: realportage::select DIR [ATOM...]}
  shift
  [ -d "$dir/var/lib/portage" ] || { realportage::_die "$dir is not a prefix"; return 1; }
  if [ $# -eq 0 ]; then
    grep -v '^#' "$SWARM_ROOT/hack/real-portage/world" > "$dir/var/lib/portage/world"
  else
    printf '%s\n' "$@" > "$dir/var/lib/portage/world"
  fi
}

# realportage::make_repo DIR: the test repository as git in DIR (see
# make-repo.sh); prints "<rev-1 commit> <rev-2 commit>".
realportage::make_repo() {
  "$SWARM_ROOT/hack/real-portage/make-repo.sh" "$@"
}

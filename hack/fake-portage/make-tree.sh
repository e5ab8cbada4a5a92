#!/usr/bin/env bash
# Creates a git repository standing in for the gentoo tree, with two
# revisions. Author, committer and dates are fixed, so the commit ids are the
# same on every machine and examples/swarm.yaml can name them.
#   make-tree.sh DIR     prints "<revision-1> <revision-2>"
set -euo pipefail
dir=${1:?usage: make-tree.sh DIR}
mkdir -p "$dir"
cd "$dir"
git init -q -b master .
export GIT_AUTHOR_NAME="Gentoo Tree" GIT_AUTHOR_EMAIL="tree@localhost"
export GIT_COMMITTER_NAME="Gentoo Tree" GIT_COMMITTER_EMAIL="tree@localhost"
export GIT_CONFIG_NOSYSTEM=1 HOME="$dir"

ebuild() {  # ebuild CAT/PN VERSION
  mkdir -p "$1"
  printf 'EAPI=8\nDESCRIPTION="%s"\nSLOT="0"\nKEYWORDS="amd64"\n' "$1" > "$1/${1#*/}-$2.ebuild"
}

mkdir -p profiles metadata
echo gentoo > profiles/repo_name
printf 'masters =\nthin-manifests = true\n' > metadata/layout.conf
ebuild sys-apps/systemd-utils 6.20.0
ebuild dev-libs/openssl 3.3.2
ebuild dev-qt/qtbase 6.8.1
ebuild dev-qt/qtwebengine 6.8.1
ebuild llvm-core/llvm 19.1.7
git add -A
GIT_AUTHOR_DATE="2026-02-01T10:00:00Z" GIT_COMMITTER_DATE="2026-02-01T10:00:00Z" \
  git commit -q -m "2026-02-01 snapshot"
git tag rev-1

ebuild sys-apps/systemd-utils 6.22.0
ebuild dev-libs/openssl 3.3.3
git add -A
GIT_AUTHOR_DATE="2026-02-05T10:00:00Z" GIT_COMMITTER_DATE="2026-02-05T10:00:00Z" \
  git commit -q -m "2026-02-05 snapshot"
git tag rev-2

echo "$(git rev-parse rev-1) $(git rev-parse rev-2)"

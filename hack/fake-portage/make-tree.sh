#!/usr/bin/env bash
# Creates a git repository standing in for the gentoo tree, with two
# revisions (tags rev-1 and rev-2) and, on a side branch, a 30-package
# queue with dependency chains (tag dag-30, child of rev-2). Author, committer and dates are fixed, so
# the commit ids are the same on every machine and examples/swarm.yaml can
# name them. Each revision carries metadata/fake-emerge/world.tree, the
# resolution hack/fake-portage/emerge prints for `--pretend --tree`.
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

# world CONTENT: writes world.tree and an ebuild for every package it names,
# so the fake emerge finds each atom it is asked to build in the tree.
world() {
  mkdir -p metadata/fake-emerge
  printf '%s\n' "$1" > metadata/fake-emerge/world.tree
  local depth cpv
  while read -r depth _ cpv _; do
    case $depth in '#'* | '') continue ;; esac
    [[ ${cpv#*/} =~ ^(.+)-([0-9][^-]*(-r[0-9]+)?)$ ]] || { echo "not cat/pkg-ver: $cpv" >&2; exit 1; }
    ebuild "${cpv%%/*}/${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
  done < metadata/fake-emerge/world.tree
}

# shellcheck disable=SC2016  # the backquotes are text
header='# What `emerge --pretend --tree` resolves at this revision, for
# hack/fake-portage/emerge. One line per line of the merge list, in the order
# emerge prints it (a package above the packages it depends on):
#   <depth> <ebuild|nomerge> <cat/pkg-ver> [installed version]
# No installed version: new (N); the same version: rebuild (R); else upgrade (U).'

mkdir -p profiles metadata
echo gentoo > profiles/repo_name
printf 'masters =\nthin-manifests = true\n' > metadata/layout.conf
world "$header
0 ebuild dev-qt/qtwebengine-6.8.1 6.7.3
1 ebuild dev-qt/qtbase-6.8.1 6.7.3
2 ebuild dev-libs/openssl-3.3.2 3.3.2
2 ebuild sys-apps/systemd-utils-6.20.0 6.20.0
1 ebuild dev-qt/qtdeclarative-6.8.1 6.7.3
0 ebuild media-libs/mesa-24.3.4 24.2.8
1 ebuild llvm-core/llvm-19.1.7
0 ebuild net-misc/curl-8.11.1-r2 8.11.1-r1"
git add -A
GIT_AUTHOR_DATE="2026-02-01T10:00:00Z" GIT_COMMITTER_DATE="2026-02-01T10:00:00Z" \
  git commit -q -m "2026-02-01 snapshot"
git tag rev-1

world "$header
0 nomerge www-client/qutebrowser-3.4.0
1 ebuild dev-qt/qtwebengine-6.8.1 6.7.3
2 ebuild dev-qt/qtbase-6.8.1 6.7.3
3 ebuild dev-libs/openssl-3.3.3 3.3.2
3 ebuild sys-apps/systemd-utils-6.22.0 6.20.0
2 ebuild dev-qt/qtdeclarative-6.8.1 6.7.3
0 ebuild media-libs/mesa-24.3.4 24.2.8
1 ebuild llvm-core/clang-19.1.7
2 ebuild llvm-core/llvm-19.1.7
0 ebuild net-misc/curl-8.11.1-r2 8.11.1-r1
0 ebuild sys-libs/zlib-1.3.1-r1 1.3.1"
git add -A
GIT_AUTHOR_DATE="2026-02-05T10:00:00Z" GIT_COMMITTER_DATE="2026-02-05T10:00:00Z" \
  git commit -q -m "2026-02-05 snapshot"
git tag rev-2

# dag-30: five applications, each needing two libraries, each library
# needing a base library (chains three deep), and five packages on their own.
git checkout -q -b queue-30 rev-2
dag="$header"
for a in 1 2 3 4 5; do
  dag+=$'\n'"0 ebuild app-misc/app$a-1.0"
  for m in 1 2; do
    dag+=$'\n'"1 ebuild dev-libs/lib$a$m-1.0"
    dag+=$'\n'"2 ebuild sys-libs/base$a$m-1.0"
  done
done
for s in 1 2 3 4 5; do dag+=$'\n'"0 ebuild sys-apps/solo$s-1.0"; done
world "$dag"
git add -A
GIT_AUTHOR_DATE="2026-02-06T10:00:00Z" GIT_COMMITTER_DATE="2026-02-06T10:00:00Z" \
  git commit -q -m "2026-02-06 snapshot: 30 packages"
git tag dag-30
git checkout -q master

echo "$(git rev-parse rev-1) $(git rev-parse rev-2)"

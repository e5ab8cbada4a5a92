#!/usr/bin/env bash
# Makes the test ebuild repository (hack/real-portage/repo/) a git repository
# with two revisions: tag rev-1 is repo/base/; tag rev-2 is rev-1 with
# repo/rev-2/ laid over it and the paths in repo/rev-2.remove deleted.
# Author, committer and dates are fixed, so the commit ids are the same on
# every machine for the same files.
#   make-repo.sh DIR     prints "<rev-1 commit> <rev-2 commit>"
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: make-repo.sh DIR}
if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
  echo "make-repo.sh: $dir exists and is not empty" >&2
  exit 1
fi
mkdir -p "$dir"
cd "$dir"
export GIT_AUTHOR_NAME="Swarm Test Tree" GIT_AUTHOR_EMAIL="tree@localhost"
export GIT_COMMITTER_NAME="Swarm Test Tree" GIT_COMMITTER_EMAIL="tree@localhost"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git init -q -b master .
# egencache's metadata cache is made where the repository is used, not committed.
printf '/metadata/md5-cache/\n' > .git/info/exclude

commit() {  # commit DATE MESSAGE TAG
  git add -A
  GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 git commit -q -m "$2"
  git tag "$3"
}

cp -R "$here/repo/base/." .
commit "2026-03-01T10:00:00Z" "Test tree, first revision" rev-1

cp -R "$here/repo/rev-2/." .
while read -r path; do
  case $path in '#'* | '') continue ;; esac
  [ -e "$path" ] || { echo "make-repo.sh: rev-2.remove names $path, which rev-1 lacks" >&2; exit 1; }
  rm -rf -- "$path"
done < "$here/repo/rev-2.remove"
commit "2026-03-08T10:00:00Z" "Test tree, second revision: libutil 1.3, newcomer replaces legacy" rev-2

echo "$(git rev-parse rev-1) $(git rev-parse rev-2)"

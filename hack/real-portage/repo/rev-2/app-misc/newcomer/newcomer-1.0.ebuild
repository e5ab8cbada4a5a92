# Test package of build-swarm: one C file, no download.
# New in the second revision: =app-misc/newcomer-1.0 on the first is the
# missing-atom fixture.

EAPI=8

inherit swarm-c

DESCRIPTION="newcomer, a test package"
HOMEPAGE="https://example.invalid/newcomer"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

RDEPEND="dev-libs/libcore"
DEPEND="${RDEPEND}"

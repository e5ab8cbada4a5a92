# Test package of build-swarm: one C file, no download.

EAPI=8

inherit swarm-c

DESCRIPTION="libutil, a test package"
HOMEPAGE="https://example.invalid/libutil"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

RDEPEND="dev-libs/libcore"
DEPEND="${RDEPEND}"

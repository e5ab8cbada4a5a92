# Test package of build-swarm: one C file, no download.

EAPI=8

inherit swarm-c

DESCRIPTION="heavy-app, a test package"
HOMEPAGE="https://example.invalid/heavy-app"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

RDEPEND="sys-libs/libheavy"
DEPEND="${RDEPEND}"

# Test package of build-swarm: one C file, no download.

EAPI=8

inherit swarm-c

DESCRIPTION="tool-a, a test package"
HOMEPAGE="https://example.invalid/tool-a"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

RDEPEND="dev-libs/libutil
	dev-libs/libcompat:1"
DEPEND="${RDEPEND}"

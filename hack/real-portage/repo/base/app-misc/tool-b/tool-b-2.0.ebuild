# Test package of build-swarm: one C file, no download.

EAPI=8

inherit swarm-c

DESCRIPTION="tool-b, a test package"
HOMEPAGE="https://example.invalid/tool-b"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

RDEPEND="dev-libs/libcompat:2
	dev-libs/libxml-lite"
DEPEND="${RDEPEND}"

# Test package of build-swarm: one C file, no download.

EAPI=8

inherit swarm-c

DESCRIPTION="fetcher, a test package"
HOMEPAGE="https://example.invalid/fetcher"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

RDEPEND="net-libs/libnet
	sys-libs/zlib-lite"
DEPEND="${RDEPEND}"

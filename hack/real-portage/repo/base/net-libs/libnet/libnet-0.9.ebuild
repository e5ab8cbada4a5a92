# Test package of build-swarm: one C file, no download.
# USE-conditional dependencies: ssl (on by default) pulls in libtls, zstd
# (off) would pull in zstd-lite.

EAPI=8

inherit swarm-c

DESCRIPTION="libnet, a test package"
HOMEPAGE="https://example.invalid/libnet"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"
IUSE="+ssl zstd"

RDEPEND="dev-libs/libutil
	ssl? ( dev-libs/libtls )
	zstd? ( sys-libs/zstd-lite )"
DEPEND="${RDEPEND}"

# Test package of build-swarm: one C file, no download.

EAPI=8

inherit swarm-c

DESCRIPTION="zstd-lite, a test package"
HOMEPAGE="https://example.invalid/zstd-lite"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

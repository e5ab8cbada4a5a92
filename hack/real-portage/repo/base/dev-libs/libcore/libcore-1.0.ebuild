# Test package of build-swarm: one C file, no download.

EAPI=8

inherit swarm-c

DESCRIPTION="libcore, a test package"
HOMEPAGE="https://example.invalid/libcore"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

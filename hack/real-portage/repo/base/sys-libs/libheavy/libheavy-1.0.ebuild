# Test package of build-swarm: one C file, no download.
# The heavy one: files/libheavy.c takes seconds to compile, the others a
# fraction of one.

EAPI=8

inherit swarm-c

DESCRIPTION="libheavy, a test package"
HOMEPAGE="https://example.invalid/libheavy"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

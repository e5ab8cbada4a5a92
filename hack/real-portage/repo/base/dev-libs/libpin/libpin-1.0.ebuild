# Test package of build-swarm: one C file, no download.
# With libpin-2.0 (same SLOT), a failure fixture: app-misc/pin-both pulls
# both versions in, a slot conflict.

EAPI=8

inherit swarm-c

DESCRIPTION="libpin, a test package"
HOMEPAGE="https://example.invalid/libpin"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

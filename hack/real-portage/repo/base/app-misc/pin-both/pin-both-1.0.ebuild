# Test package of build-swarm: one C file, no download.
# A failure fixture: one atom whose dependencies need libpin 1.0 and 2.0
# in one slot, so emerge refuses it with a slot conflict.

EAPI=8

inherit swarm-c

DESCRIPTION="pin-both, a test package"
HOMEPAGE="https://example.invalid/pin-both"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

RDEPEND="app-misc/pin-old
	app-misc/pin-new"
DEPEND="${RDEPEND}"

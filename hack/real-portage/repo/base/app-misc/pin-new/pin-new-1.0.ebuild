# Test package of build-swarm: one C file, no download.
# Wants libpin 2.0 or later; with pin-old, a slot conflict (app-misc/pin-both).

EAPI=8

inherit swarm-c

DESCRIPTION="pin-new, a test package"
HOMEPAGE="https://example.invalid/pin-new"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

RDEPEND=">=dev-libs/libpin-2.0"
DEPEND="${RDEPEND}"

# Test package of build-swarm: one C file, no download.
# Wants libpin 1.0 exactly; with pin-new, a slot conflict (app-misc/pin-both).

EAPI=8

inherit swarm-c

DESCRIPTION="pin-old, a test package"
HOMEPAGE="https://example.invalid/pin-old"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

RDEPEND="=dev-libs/libpin-1.0"
DEPEND="${RDEPEND}"

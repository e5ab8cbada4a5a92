# Test package of build-swarm: one C file, no download.
# A failure fixture: files/broken.c does not compile (a missing ';'), so
# the compile phase dies as a real package's would.

EAPI=8

inherit swarm-c

DESCRIPTION="broken, a test package"
HOMEPAGE="https://example.invalid/broken"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

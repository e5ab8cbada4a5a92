# Test package of build-swarm: one C file, no download.

EAPI=8

inherit swarm-c

DESCRIPTION="suite, a test package"
HOMEPAGE="https://example.invalid/suite"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64"

RDEPEND="app-misc/tool-a
	app-misc/tool-b
	net-misc/fetcher
	app-misc/newcomer"
DEPEND="${RDEPEND}"

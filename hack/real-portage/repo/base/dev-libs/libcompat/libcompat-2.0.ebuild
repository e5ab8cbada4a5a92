# Test package of build-swarm: one C file, no download.
# One package in two SLOTs (1 and 2), both in the graph.

EAPI=8

inherit swarm-c

DESCRIPTION="libcompat, a test package"
HOMEPAGE="https://example.invalid/libcompat"
LICENSE="MIT"
SLOT="2"
KEYWORDS="amd64"

RDEPEND="dev-libs/libcore"
DEPEND="${RDEPEND}"

SWARM_C_SUFFIX="-2"

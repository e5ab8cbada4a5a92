# @ECLASS: swarm-c.eclass
# @SUPPORTED_EAPIS: 8
# @BLURB: builds the package's one C file from FILESDIR, with no download
# @DESCRIPTION:
# Each package of the test repository is one C file, ${FILESDIR}/${PN}.c,
# compiled by the system's C compiler into /usr/bin/${PN}${SWARM_C_SUFFIX}
# (SWARM_C_SUFFIX keeps the programs of two slots apart).

S="${WORKDIR}/${P}"

swarm-c_src_unpack() {
	mkdir -p "${S}" || die
	cp "${FILESDIR}/${PN}.c" "${S}/" || die "cannot copy ${PN}.c"
}

swarm-c_src_compile() {
	local cc=${CC:-gcc}
	echo "${cc} ${CFLAGS} ${LDFLAGS} -o ${PN} ${PN}.c"
	${cc} ${CFLAGS} ${LDFLAGS} -o "${PN}" "${PN}.c" || die "${cc} failed on ${PN}.c"
}

swarm-c_src_install() {
	newbin "${PN}" "${PN}${SWARM_C_SUFFIX}"
}

EXPORT_FUNCTIONS src_unpack src_compile src_install

# Copyright 2026 The build-swarm authors

EAPI=8

inherit cmake git-r3 systemd

DESCRIPTION="Declarative control plane for distributed Gentoo builds"
# Placeholders (.invalid never resolves): the overlay that ships this ebuild
# points them at the project's repository; see packaging/gentoo/README.md.
HOMEPAGE="https://example.invalid/build-swarm"
EGIT_REPO_URI="https://example.invalid/build-swarm/build-swarm.git"

# No license has been chosen for build-swarm yet; until one is, all rights
# are reserved.
LICENSE="all-rights-reserved"
SLOT="0"
IUSE="test"
RESTRICT="bindist mirror !test? ( test )"

# The controller runs as its own user; its state directory is chowned to it
# when the package is merged (pkg_preinst), hence IDEPEND.
ACCT_DEPEND="
	acct-group/build-swarm
	acct-user/build-swarm
"
COMMON_DEPEND="
	dev-cpp/cpp-httplib:=[ssl]
	dev-cpp/yaml-cpp:=
	dev-db/sqlite:3
	dev-libs/openssl:=
	dev-libs/spdlog:=
"
DEPEND="
	${COMMON_DEPEND}
	dev-cpp/cli11
	dev-cpp/nlohmann_json
	test? ( dev-cpp/gtest )
"
RDEPEND="
	${ACCT_DEPEND}
	${COMMON_DEPEND}
"
IDEPEND="${ACCT_DEPEND}"
# The integration tests run a fake portage tree in git and check the
# metrics with promtool.
BDEPEND="
	virtual/pkgconfig
	test? (
		app-metrics/prometheus
		dev-vcs/git
	)
"

src_configure() {
	local mycmakeargs=(
		-DSWARM_BUILD_TESTS=$(usex test)
		# The toolchain's linker (LDFLAGS), not one the build picks.
		-DSWARM_USE_LLD=OFF
		# Installed below the Gentoo way; acct-user/build-swarm makes the
		# user the sysusers.d entry would.
		-DSWARM_INSTALL_SERVICE_FILES=OFF
	)
	cmake_src_configure
}

src_test() {
	# It installs missing Debian packages with dpkg and apt-get first.
	local CMAKE_SKIP_TESTS=( verify_manifests )
	cmake_src_test
}

src_install() {
	# The programs, the documentation, and the examples under it.
	cmake_src_install
	# Examples are copied and edited, not read where they are.
	docompress -x "/usr/share/doc/${PF}/examples"

	local service
	for service in swarm-controller swarm-agent; do
		newinitd "manifests/openrc/${service}" "${service}"
		newconfd "manifests/openrc/conf.d/${service}" "${service}"
		systemd_dounit "manifests/systemd/${service}.service"
	done

	# The controller's state (its database, the binhost, the build logs);
	# on a drone, the agent's.
	keepdir /var/lib/build-swarm
}

pkg_preinst() {
	fowners build-swarm:build-swarm /var/lib/build-swarm
	fperms 0750 /var/lib/build-swarm
}

pkg_postinst() {
	if [[ -z ${REPLACING_VERSIONS} ]]; then
		elog "Configuration lives in ${EROOT}/etc/build-swarm, which you create:"
		elog "  controller: tokens.csv and tls/ (root:build-swarm, mode 0640),"
		elog "    settings in ${EROOT}/etc/conf.d/swarm-controller"
		elog "  drone: agent.yaml, its token and TLS files (root only)"
		elog "Examples are in ${EROOT}/usr/share/doc/${PF}/examples; the operations"
		elog "guide (operations.md there) says how to make the CA and certificates."
	fi
}

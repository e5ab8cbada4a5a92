# Run by `cmake --install` (manifests/CMakeLists.txt): installs the systemd
# units, the sysusers.d entry, the OpenRC scripts and their conf.d files where
# this installation's prefix puts them. The prefix is known only now, so the
# directories follow GNUInstallDirs' rules here, and the checked-in files,
# which start /usr/bin/swarm-* (a distribution's prefix, so they stay valid
# as they are), are rewritten to start the programs where they are installed.
#
# Set by the caller: SWARM_MANIFESTS (this folder), and as configured
# (relative: under the prefix) SWARM_BINDIR, SWARM_SYSCONFDIR,
# SWARM_SYSTEMD_UNIT_DIR, SWARM_SYSUSERS_DIR.

# The generated install scripts run under CMake's oldest policies.
cmake_policy(PUSH)
cmake_policy(VERSION 3.22)

# swarm_absolute_dir(OUT DIR KIND): DIR under the prefix, as install(FILES)
# places a relative destination, but for the configuration (KIND SYSCONFDIR)
# GNUInstallDirs' rules: for the prefixes / and /usr it is in /etc, for
# /opt/NAME in /etc/opt/NAME. The install script has taken the trailing slash
# off the prefix, so / is "" here.
function(swarm_absolute_dir out dir kind)
  set(prefix "${CMAKE_INSTALL_PREFIX}")
  if(IS_ABSOLUTE "${dir}")
    set(abs "${dir}")
  elseif(kind STREQUAL "SYSCONFDIR" AND prefix MATCHES "^(/usr)?$")
    set(abs "/${dir}")
  elseif(kind STREQUAL "SYSCONFDIR" AND prefix MATCHES "^/opt/"
         AND NOT prefix MATCHES "^/opt/homebrew/")
    set(abs "/${dir}${prefix}")
  else()
    set(abs "${prefix}/${dir}")
  endif()
  set(${out} "${abs}" PARENT_SCOPE)
endfunction()

# Every name here has the swarm_ prefix: this runs in the scope of the
# generated install script.
swarm_absolute_dir(swarm_bindir "${SWARM_BINDIR}" BINDIR)
swarm_absolute_dir(swarm_sysconfdir "${SWARM_SYSCONFDIR}" SYSCONFDIR)
swarm_absolute_dir(swarm_unitdir "${SWARM_SYSTEMD_UNIT_DIR}" OTHER)
swarm_absolute_dir(swarm_sysusersdir "${SWARM_SYSUSERS_DIR}" OTHER)

# swarm_install_service(SOURCE DIR NAME MODE...): installs manifests/SOURCE as
# DIR/NAME (DESTDIR honoured, listed in install_manifest.txt), then makes the
# installed copy start the programs in swarm_bindir.
function(swarm_install_service source dir name)
  file(INSTALL "${SWARM_MANIFESTS}/${source}" DESTINATION "${dir}" RENAME "${name}"
       FILE_PERMISSIONS ${ARGN})
  # file(INSTALL) lists the file for install_manifest.txt in this scope.
  set(CMAKE_INSTALL_MANIFEST_FILES "${CMAKE_INSTALL_MANIFEST_FILES}" PARENT_SCOPE)
  set(installed "$ENV{DESTDIR}${dir}/${name}")
  file(READ "${installed}" text)
  string(REPLACE "/usr/bin/swarm-" "${swarm_bindir}/swarm-" rewritten "${text}")
  if(NOT rewritten STREQUAL text)
    file(WRITE "${installed}" "${rewritten}")
  endif()
endfunction()

set(swarm_data OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
set(swarm_script ${swarm_data} OWNER_EXECUTE GROUP_EXECUTE WORLD_EXECUTE)
foreach(swarm_program swarm-controller swarm-agent)
  swarm_install_service(systemd/${swarm_program}.service "${swarm_unitdir}"
                        ${swarm_program}.service ${swarm_data})
  swarm_install_service(openrc/${swarm_program} "${swarm_sysconfdir}/init.d" ${swarm_program}
                        ${swarm_script})
  swarm_install_service(openrc/conf.d/${swarm_program} "${swarm_sysconfdir}/conf.d"
                        ${swarm_program} ${swarm_data})
endforeach()
swarm_install_service(systemd/build-swarm.sysusers.conf "${swarm_sysusersdir}" build-swarm.conf
                      ${swarm_data})

cmake_policy(POP)

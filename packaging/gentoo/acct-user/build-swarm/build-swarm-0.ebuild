# Copyright 2026 The build-swarm authors

EAPI=8

inherit acct-user

DESCRIPTION="User for the build-swarm controller"
# Allocated when created: this overlay has no fixed id of its own.
ACCT_USER_ID=-1
ACCT_USER_GROUPS=( build-swarm )
# The controller's state directory, as its systemd unit and sysusers.d entry
# have it (manifests/systemd/), and private to it.
ACCT_USER_HOME=/var/lib/build-swarm
ACCT_USER_HOME_PERMS=0750

acct-user_add_deps

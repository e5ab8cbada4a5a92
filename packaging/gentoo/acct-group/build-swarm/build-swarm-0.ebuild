# Copyright 2026 The build-swarm authors

EAPI=8

inherit acct-group

DESCRIPTION="Group for the build-swarm controller: it reads the token file and TLS key"
# Allocated when created: this overlay has no fixed id of its own.
ACCT_GROUP_ID=-1

#pragma once

// `swarmctl logs CATEGORY/NAME-VERSION`: the last build log of a package.

#include <ostream>
#include <string>

#include "base/status.h"
#include "swarmctl/api_client.h"

namespace swarm::ctl {

// `arg` as a cat/pkg-ver, without the leading '=' an emerge atom may carry:
// "=dev-libs/openssl-3.3.3-r1" -> "dev-libs/openssl-3.3.3-r1". The category
// and name follow PMS 3.1 and the version PMS 3.2; anything else (no
// category, no version, an operator other than '=', a slot) is
// InvalidArgument saying what is expected.
Result<std::string> PackageVersionArg(const std::string& arg);

// GETs /api/v1/packages/<cat>/<pf>/log and writes the body to `out` as it
// came. Returns kExitOk; kExitUsage after one "error: " line for a malformed
// argument (nothing is sent); kExitError after one line when the request
// fails, "no build log for <cat/pf> yet" for a 404.
int RunLogs(const std::string& arg, ApiTransport& api, std::ostream& out, std::ostream& err);

}  // namespace swarm::ctl

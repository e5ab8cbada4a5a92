#pragma once

// `swarmctl promote RELEASE` and `swarmctl rollback`: which release
// /binhost/current serves (admin token).

#include <ostream>
#include <string>

#include "swarmctl/api_client.h"

namespace swarm::ctl {

// POSTs /api/v1/releases/<name>/promote and prints "release/<name>
// promoted". Returns kExitOk; kExitUsage for an empty name; kExitError after
// one "error: " line on `err` when the request fails (an unknown release is
// the server's NotFound, one that cannot be promoted its Conflict) or the
// reply is another release or shows it not promoted.
int RunPromote(const std::string& release, ApiTransport& api, std::ostream& out, std::ostream& err);

// POSTs /api/v1/rollback and prints "rolled back to release/<name>", the
// release the reply says is promoted now. Returns kExitOk, or kExitError
// after one "error: " line on `err` when the request fails (nothing to go
// back to is the server's Conflict) or the reply names no promoted release.
int RunRollback(ApiTransport& api, std::ostream& out, std::ostream& err);

}  // namespace swarm::ctl

#pragma once

// `swarmctl status`: the swarm on one screen, and what needs a person.

#include <optional>
#include <ostream>
#include <vector>

#include "base/clock.h"
#include "swarmctl/api_client.h"

namespace swarm::ctl {

// The screen: Swarm/Generation/Desired fields; CONDITIONS (TYPE, STATUS,
// REASON, MESSAGE); QUEUE (its stamp, then NEEDED, BUILDING, COMPLETE,
// FAILED, BLOCKED, TOTAL), and a RELEASE line (the promoted release, and
// the latest when it is another; none from a controller without releases);
// DRONES (NAME, STATUS as `get drones` shows it, DEPLOYED, TREESYNCED,
// HEALTH, ACTIONS, BUILDING: every package assigned to it); NEXT ACTION (see
// next_action.h). `packages` is nullopt when they could not be listed.
// Times are read at `now`.
void PrintStatus(const Json& swarm, const std::vector<const Json*>& drones,
                 const std::optional<std::vector<const Json*>>& packages, WallTime now,
                 std::ostream& out);

// Reads the swarm, the drones and the packages and prints PrintStatus.
// Packages that cannot be listed are a "warning: " line on `err`, not a
// failure. Returns kExitOk, or kExitError after one "error: " line on `err`
// when the swarm or the drones cannot be read.
int RunStatus(ApiTransport& api, WallTime now, std::ostream& out, std::ostream& err);

}  // namespace swarm::ctl

#pragma once

// `swarmctl cordon|uncordon|drain|unground DRONE`: the operator verbs on one
// drone (POST /api/v1/drones/<name>/<verb>, admin token).

#include <ostream>
#include <string>

#include "swarmctl/api_client.h"

namespace swarm::ctl {

enum class DroneVerb { kCordon, kUncordon, kDrain, kUnground };

// "cordon", "uncordon", "drain", "unground": the command and the path segment.
const char* DroneVerbName(DroneVerb verb);

// GETs the drone first (its state before: a drone outside the roster is the
// server's NotFound line and nothing is posted), then POSTs the verb and
// prints one line, as kubectl does for nodes:
//   cordon    drone/<name> cordoned            (already cordoned: nothing posted)
//   uncordon  drone/<name> uncordoned          (already uncordoned: nothing posted)
//   drain     drone/<name> drained (2 builds returned to the queue: a/b-1, c/d-2)
//             — the packages in status.assignments before and not after; when
//             either reply lacks status.assignments, no count is claimed
//   unground  drone/<name> ungrounded; "... was not grounded" when the
//             Grounded condition was not True before
// Returns kExitOk; kExitUsage for an empty name; kExitError after one
// "error: " line on `err` when a request fails or the reply contradicts the
// verb (a drone still uncordoned after cordon).
int RunDroneVerb(DroneVerb verb, const std::string& drone, ApiTransport& api, std::ostream& out,
                 std::ostream& err);

}  // namespace swarm::ctl

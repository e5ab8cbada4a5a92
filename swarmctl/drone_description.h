#pragma once

// The text of `describe drone`.

#include <optional>
#include <ostream>
#include <vector>

#include "base/clock.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl {

// Name, Roles, Labels; Status (Health with its reason, Cordoned, Deploy
// Version, Tree Revision, Cores, Memory, Memory Used, Disk Used, Load, Last
// Heartbeat, Consecutive Failures, Assignments (what the controller assigned),
// Builds (what the agent last reported running), Actions); Conditions (Ready,
// Deployed, TreeSynced, Grounded: whatever the controller sets); Events
// (nullopt: could not be listed).
void DescribeDrone(const Json& drone, const std::optional<std::vector<const Json*>>& events,
                   WallTime now, std::ostream& out);

}  // namespace swarm::ctl

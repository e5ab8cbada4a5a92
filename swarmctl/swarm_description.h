#pragma once

// The text of `describe swarm`.

#include <optional>
#include <ostream>
#include <vector>

#include "base/clock.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl {

// Name, Generation, Observed Generation, Created, Annotations; Spec (deploy,
// tree, queue, policy); the roster as a NAME, ROLES, LABELS table; Status
// (observed fresh request, the promoted and latest releases, the queue's
// stamp and counts); Conditions; Events (nullopt: could not be listed).
void DescribeSwarm(const Json& swarm, const std::optional<std::vector<const Json*>>& events,
                   WallTime now, std::ostream& out);

}  // namespace swarm::ctl

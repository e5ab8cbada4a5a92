#pragma once

// The drones table of `get drones`.

#include <ostream>
#include <vector>

#include "base/clock.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl {

// Columns NAME, READY, HEALTH, DEPLOYED, TREE, CORES, MEMORY, LAST SEEN;
// `wide` appends DISK, LOAD, ROLES, LABELS, REASON (of Ready), ACTIONS (held,
// with their state). Ages are taken at `now`.
void PrintDroneTable(const std::vector<const Json*>& drones, bool wide, WallTime now,
                     std::ostream& out);

}  // namespace swarm::ctl

#pragma once

// The drones table of `get drones`.

#include <ostream>
#include <vector>

#include "base/clock.h"
#include "swarmctl/json_read.h"
#include "swarmctl/table.h"

namespace swarm::ctl {

// Columns NAME, READY (the Ready condition's status: scripts read it), STATUS
// (kubectl's: "Ready,SchedulingDisabled,Grounded"), HEALTH, DEPLOYED, TREE,
// CORES, MEMORY, LAST SEEN, BUILDING (the packages assigned to it, the first
// and a count). `wide` puts DISK, LOAD, FAILURES (consecutive), ROLES, LABELS,
// REASON (of Ready), HEALTH REASON and ACTIONS (held, with their state) before
// BUILDING, and lists every package. Ages are taken at `now`.
void PrintDroneTable(const std::vector<const Json*>& drones, bool wide, WallTime now,
                     std::ostream& out);
// The same table, not printed yet.
Table DroneTable(const std::vector<const Json*>& drones, bool wide, WallTime now);

}  // namespace swarm::ctl

#pragma once

// The swarm table of `get swarm`.

#include <optional>
#include <ostream>
#include <vector>

#include "base/clock.h"
#include "swarmctl/json_read.h"
#include "swarmctl/table.h"

namespace swarm::ctl {

struct DroneCounts {
  int ready = 0;  // Ready=True
  int total = 0;
};

DroneCounts CountReady(const std::vector<const Json*>& drones);

// The Swarm's status.queue once a queue was discovered (or built), else
// null: the controller reports an empty stamp and zero counts before that.
const Json* DiscoveredQueue(const Json& swarm);

// Columns NAME, GENERATION, OBSERVED, DRONES (ready/total), DEPLOY, TREE, AGE,
// QUEUE (complete/total packages), CONVERGED (the condition's status);
// "-" for what the controller has not reported. `wide` appends DISCOVER ON and CONDITIONS
// (Type=Status,...).
void PrintSwarmTable(const Json& swarm, const DroneCounts& drones, bool wide, WallTime now,
                     std::ostream& out);
// The same table, not printed yet.
Table SwarmTable(const Json& swarm, const DroneCounts& drones, bool wide, WallTime now);

}  // namespace swarm::ctl

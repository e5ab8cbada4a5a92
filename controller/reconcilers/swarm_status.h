#pragma once

// Swarm status: observedGeneration, the queue summary and the swarm-wide
// conditions (DronesReady, Deployed, TreeSynced, QueueCurrent, SystemicFault,
// Converged, QueueComplete), derived from the spec, the members' conditions and the queue
// reconciler's verdict. Pure: the caller writes the result only when it
// differs from what is stored.

#include <vector>

#include "api/types.h"
#include "base/clock.h"

namespace swarm::controller::reconcilers {

// Returns `swarm.status` updated. Condition transition times move only when a
// condition's status changes.
api::SwarmStatus ReconcileSwarmStatus(const api::Swarm& swarm,
                                      const std::vector<api::Drone>& drones,
                                      const api::Condition& queue_current,
                                      const api::QueueSummary& queue, WallTime now);

}  // namespace swarm::controller::reconcilers

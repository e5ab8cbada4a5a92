#pragma once

// Swarm status: observedGeneration and the DronesReady condition, derived
// from the spec and the drones. Pure: the caller writes the result only when
// it differs from what is stored.

#include <vector>

#include "api/types.h"
#include "base/clock.h"

namespace swarm::controller::reconcilers {

// Returns `swarm.status` updated for the current spec and drones. Condition
// transition times move only when a condition's status changes.
api::SwarmStatus ReconcileSwarmStatus(const api::Swarm& swarm, const std::vector<api::Drone>& drones,
                                      WallTime now);

}  // namespace swarm::controller::reconcilers

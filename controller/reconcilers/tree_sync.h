#pragma once

// Tree sync: a member whose reported tree revision differs from
// spec.portage.treeRevision (or that was asked to re-sync by `swarmctl
// fresh`) gets a sync action; it is TreeSynced only when the reported
// revision equals the spec.

#include <string>

#include "api/types.h"
#include "controller/reconcilers/action_state.h"
#include "controller/reconcilers/deploy.h"

namespace swarm::controller::reconcilers {

// TreeSynced=False (ResyncRequested): the member syncs again even at the
// wanted revision (a fresh start, a systemic fault's remediation).
api::Condition ResyncRequested(const std::string& why);

// Sets the TreeSynced condition of one member. `resync_requested` forces a
// sync even at the right revision. No sync is asked for while the drone
// holds `builds_held` > 0 builds.
DroneConvergence ReconcileTreeSync(const std::string& wanted_revision,
                                   const api::DroneStatus& observed, bool resync_requested,
                                   const ActionState& sync, SteadyTime now, int builds_held = 0);

}  // namespace swarm::controller::reconcilers

#pragma once

// Deploy: a member whose reported deploy version differs from
// spec.deploy.version gets a deploy action. A missing DEPLOY_MARKER reports
// an empty version, which is "needs deploy" and never "up to date" (the
// incident where old code kept running because no marker read as current).

#include <optional>
#include <string>

#include "api/types.h"
#include "controller/reconcilers/action_state.h"

namespace swarm::controller::reconcilers {

// What a per-drone reconciler decided: the condition to set, whether a new
// action should be issued now, and when to look again.
struct DroneConvergence {
  api::Condition condition;
  bool want_action = false;
  std::optional<Duration> requeue_after;
};

// Sets the Deployed condition of one member. No deploy is asked for while
// the drone holds `builds_held` > 0 builds.
DroneConvergence ReconcileDeploy(const std::string& wanted_version,
                                 const api::DroneStatus& observed, const ActionState& deploy,
                                 SteadyTime now, int builds_held = 0);

// "WaitingForBuilds" message: what waits, for how many builds.
std::string WaitingMessage(const std::string& what, int builds_held);

}  // namespace swarm::controller::reconcilers

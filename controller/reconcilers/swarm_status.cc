#include "controller/reconcilers/swarm_status.h"

#include "controller/events.h"

namespace swarm::controller::reconcilers {

api::SwarmStatus ReconcileSwarmStatus(const api::Swarm& swarm, const std::vector<api::Drone>& drones,
                                      WallTime now) {
  api::SwarmStatus status = swarm.status;
  status.observed_generation = swarm.metadata.generation;

  std::string not_ready;
  int ready = 0;
  for (const auto& d : drones) {
    const api::Condition* c = api::FindCondition(d.status.conditions, "Ready");
    if (c != nullptr && c->status == api::kTrue) {
      ++ready;
      continue;
    }
    if (!not_ready.empty()) not_ready += ", ";
    not_ready += d.name + " (" + (c ? c->reason : std::string(reasons::kNeverJoined)) + ")";
  }
  api::Condition cond;
  cond.type = "DronesReady";
  const std::string counts =
      std::to_string(ready) + "/" + std::to_string(drones.size()) + " roster members ready";
  if (not_ready.empty()) {
    cond.status = api::kTrue;
    cond.reason = reasons::kAllDronesReady;
    cond.message = counts;
  } else {
    cond.status = api::kFalse;
    cond.reason = reasons::kDronesNotReady;
    cond.message = counts + "; not ready: " + not_ready;
  }
  api::SetCondition(status.conditions, std::move(cond), now);
  return status;
}

}  // namespace swarm::controller::reconcilers

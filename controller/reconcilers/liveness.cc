#include "controller/reconcilers/liveness.h"

#include <algorithm>

#include "api/quantity.h"
#include "api/events.h"

namespace swarm::controller::reconcilers {

std::optional<SteadyTime> HeartbeatLeases::RenewedAt(const std::string& drone) const {
  auto it = renewed_at_.find(drone);
  if (it == renewed_at_.end()) return std::nullopt;
  return it->second;
}

LivenessResult ReconcileLiveness(const std::vector<api::Drone>& drones,
                                 const HeartbeatLeases& leases, SteadyTime now, Duration grace) {
  LivenessResult result;
  for (const auto& d : drones) {
    const api::Condition* ready = api::FindCondition(d.status.conditions, api::condition::kReady);
    if (ready == nullptr || ready->status != api::kTrue) continue;
    std::optional<SteadyTime> renewed = leases.RenewedAt(d.name);
    Duration silent = renewed ? std::chrono::duration_cast<Duration>(now - *renewed) : grace;
    if (silent < grace) {
      Duration left = grace - silent;
      result.requeue_after = result.requeue_after ? std::min(*result.requeue_after, left) : left;
      continue;
    }
    ReadyTransition t;
    t.drone = d.name;
    t.ready.type = api::condition::kReady;
    t.ready.status = api::kUnknown;
    t.ready.reason = api::reason::kHeartbeatMissed;
    t.ready.message = "no heartbeat for " + api::FormatDuration(silent) + " (heartbeatGrace " +
                      api::FormatDuration(grace) + "); the drone is unreachable, not grounded";
    t.event_reason = api::events::kDroneUnreachable;
    t.event_message = "drone " + d.name + " stopped heartbeating: " + t.ready.message;
    result.transitions.push_back(std::move(t));
  }
  return result;
}

}  // namespace swarm::controller::reconcilers

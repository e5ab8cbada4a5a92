#pragma once

// Liveness: a drone is Ready while its heartbeat lease is fresh and turns
// Ready=Unknown (Unreachable, never grounded) once no heartbeat came for
// policy.heartbeatGrace. Level-triggered and idempotent: it reads the drones'
// conditions and the leases and returns the transitions still to make.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"
#include "base/clock.h"

namespace swarm::controller::reconcilers {

// When each drone last heartbeated, on the monotonic clock. Deliberately not
// persisted: after a controller restart every drone starts a fresh lease, so
// a restart never marks a healthy drone Unreachable.
// Thread safety: not thread-safe; guarded by the controller's lock.
class HeartbeatLeases {
 public:
  void Renew(const std::string& drone, SteadyTime now) { renewed_at_[drone] = now; }
  void Forget(const std::string& drone) { renewed_at_.erase(drone); }
  // nullopt when the drone holds no lease.
  std::optional<SteadyTime> RenewedAt(const std::string& drone) const;

 private:
  std::map<std::string, SteadyTime> renewed_at_;
};

struct ReadyTransition {
  std::string drone;
  api::Condition ready;  // the Ready condition to set
  std::string event_reason;
  std::string event_message;
};

struct LivenessResult {
  std::vector<ReadyTransition> transitions;
  // When the next lease can expire; nullopt when no drone is Ready.
  std::optional<Duration> requeue_after;
};

// A Ready=True drone whose lease is older than `grace` (or that holds none)
// becomes Ready=Unknown with reason HeartbeatMissed. Drones that are not
// Ready=True are left alone: only a heartbeat makes a drone Ready again.
LivenessResult ReconcileLiveness(const std::vector<api::Drone>& drones,
                                 const HeartbeatLeases& leases, SteadyTime now, Duration grace);

}  // namespace swarm::controller::reconcilers

#pragma once

// The drone's own view of its health, from each probe and the health policy the
// controller sends with every heartbeat reply. Today memory and disk decide
// between HEALTHY and DEGRADED; CRITICAL and RECOVERING (failures, OOM kills,
// the self-check) are transitions to be added inside Observe().

#include <string>

#include "api/types.h"
#include "base/clock.h"

namespace swarm::agent {

enum class HealthState { kHealthy, kDegraded, kCritical, kRecovering };

// "HEALTHY", "DEGRADED", "CRITICAL", "RECOVERING": the wire names.
const char* HealthStateName(HealthState s);

struct HealthVerdict {
  HealthState state = HealthState::kHealthy;
  // Why, for people: "memory 91% >= 85%"; empty while healthy.
  std::string reason;
  // When the drone entered `state` (steady clock); a later transition's timer.
  SteadyTime since{};
};

// The policy in force before the first heartbeat reply: the documented
// defaults (memory 85%, disk 90%).
api::HealthPolicy DefaultHealthPolicy();

// Thread safety: not thread-safe; the agent's loop owns it.
class HealthMonitor {
 public:
  HealthMonitor() = default;

  // Takes one probe under `policy` at `now` and returns the state it leads to.
  // DEGRADED when memory or disk used percent is at or past its threshold.
  HealthVerdict Observe(const api::Resources& probe, const api::HealthPolicy& policy,
                        SteadyTime now);

  // The last verdict; HEALTHY before the first Observe().
  const HealthVerdict& current() const { return current_; }

 private:
  HealthVerdict current_;
  bool observed_ = false;
};

// "91%" or "91.4%": one decimal, dropped when zero.
std::string FormatPercent(double p);

}  // namespace swarm::agent

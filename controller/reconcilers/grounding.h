#pragma once

// Grounding: a drone that keeps failing builds for reasons of its own (out of
// memory, disk full, crashes) stops getting work until its cause is gone, a
// cooldown passes and one probation build succeeds, or a person ungrounds it.
// Failures that many drones share at once are the swarm's, not theirs:
// FailingAlikeWindow spots them so that nobody is grounded for a shared fault
// (Kubernetes' node lifecycle "full disruption" rule). Pure functions and a
// plain class; the controller persists every change before acting on it.

#include <deque>
#include <optional>
#include <set>
#include <string>

#include "api/types.h"
#include "base/clock.h"

namespace swarm::controller::reconcilers {

bool IsGrounded(const api::DroneStatus& s);
// Ungrounded after the cooldown and its one probation build has not ended yet.
bool OnProbation(const api::DroneStatus& s);

// After a failure that is the drone's (its count already raised): Grounded=True
// when the count reached `ground_after`, or at once on probation. Nothing when
// it is already grounded or the count is below the threshold.
std::optional<api::Condition> GroundAfterFailure(const api::DroneStatus& s, int ground_after,
                                                 const std::string& package,
                                                 const std::string& message);

// After a success: a probation build that succeeded ends the probation.
std::optional<api::Condition> ClearAfterSuccess(const api::DroneStatus& s);

// Grounded=False with `reason` and `message` when grounded or on probation; nothing otherwise.
std::optional<api::Condition> Unground(const api::DroneStatus& s, const std::string& reason,
                                       const std::string& message);

struct CooldownDecision {
  std::optional<api::Condition> probation;  // the cooldown is over: on probation now
  std::optional<Duration> requeue_after;    // look again then
};
// A drone grounded for `cooldown` goes on probation.
CooldownDecision ReconcileGroundingCooldown(const api::DroneStatus& s, Duration cooldown,
                                            WallTime now);

// True when `alike` drones failing the same way is a swarm-wide failure:
// at least two, and at least `fraction` of the `ready` drones.
bool IsFailingAlike(size_t alike, int ready, double fraction);

// The drone failures of the last kWindow, grouped by what they said.
// Thread safety: none; the controller's lock guards it.
class FailingAlikeWindow {
 public:
  static constexpr Duration kWindow = std::chrono::minutes(10);

  // Records a failure of `drone` saying `signature` at `now`; returns every
  // drone that failed with that signature within the window, this one included.
  std::set<std::string> Record(const std::string& drone, const std::string& signature,
                               SteadyTime now);
  void Clear() { failures_.clear(); }

 private:
  struct Failure {
    std::string drone;
    std::string signature;
    SteadyTime at;
  };
  std::deque<Failure> failures_;
};

}  // namespace swarm::controller::reconcilers

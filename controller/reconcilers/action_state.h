#pragma once

// The controller's memory of one kind of action (deploy, sync, discover) on
// one drone: what is in flight, how often it failed, when to try again. Kept
// in memory: after a controller restart an unfinished action is simply issued
// again, which the hooks tolerate (they converge to a value).

#include <optional>
#include <string>

#include "api/protocol.h"
#include "base/clock.h"

namespace swarm::controller::reconcilers {

struct ActionState {
  std::optional<api::Action> in_flight;  // issued, no result yet
  int failures = 0;                      // consecutive failed results
  std::optional<SteadyTime> retry_at;    // no new action before this
  WallTime retry_at_wall{};  // the same moment for people: messages that do not change every pass
  std::string last_error;    // message and output tail of the last failure
  bool forced = false;       // sync only: a re-sync was requested even at the right revision
  int unheld_beats = 0;      // heartbeats in a row that did not list in_flight

  void ResetBackoff() {
    failures = 0;
    retry_at.reset();
  }
};

// Heartbeats in a row in which the agent may leave an action it was given
// unlisted (not yet offered, or finished with its result on the way) before
// the controller counts it lost: an agent restarted, or a result dropped.
inline constexpr int kActionLostAfterBeats = 3;

// Backoff after `failures` consecutive failures: 5s doubling to 5m.
Duration ActionBackoff(int failures);

// Records a result of the in-flight action: clears it, and on failure counts
// it and sets the retry time. Returns false (and changes nothing) when
// `result_id` is not the action in flight.
bool RecordActionResult(ActionState& state, const std::string& result_id, bool succeeded,
                        const std::string& error, SteadyTime now, WallTime wall_now);

// The part of deploy and tree sync that is the same: a drone reports a value,
// the spec wants another, an action converges them.
struct ConvergeDecision {
  // kWaitingForBuilds: an action is due, but the drone still holds builds.
  // Neither a deploy nor a sync may change a drone under a running build: a
  // build that ends up on another tree fails as the swarm's fault (the
  // stale-queue incident).
  enum class Phase { kConverged, kInFlight, kBackingOff, kWantAction, kWaitingForBuilds };
  Phase phase = Phase::kConverged;
  std::optional<Duration> requeue_after;  // when backing off: until the retry is due
};
// `builds_held`: builds the drone holds now (assigned, or still reported).
ConvergeDecision DecideConvergence(bool converged, const ActionState& state, SteadyTime now,
                                   int builds_held = 0);

}  // namespace swarm::controller::reconcilers

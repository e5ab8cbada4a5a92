#pragma once

// Grounding and systemic faults: the one place where a drone is grounded,
// put on probation or ungrounded, and where the Swarm's SystemicFault is
// raised, remediated and cleared. It decides through the pure rules of
// reconcilers/grounding into the caller's Changes and writes nothing itself;
// what it remembers beyond the store (the failing-alike window, a pending
// remediation) is its own.
// Thread safety: none; called under the controller's lock.

#include <optional>
#include <set>
#include <string>

#include "api/protocol.h"
#include "base/clock.h"
#include "controller/reconcilers/grounding.h"
#include "controller/state/changes.h"
#include "controller/state/state.h"

namespace swarm::controller {

class Faults {
 public:
  Faults(const SwarmState* state, Clock* clock) : state_(*state), clock_(clock) {}

  // After a restart: a remediated fault is remembered, so one that comes
  // back within the hour still counts as persisting.
  void Restore();

  // --- Grounding (the drone condition Grounded) ---
  // A failure that is the drone's own: counts it, and grounds the drone at
  // groundAfterFailures (or at once on probation).
  void CountFailure(const std::string& name, const std::string& package, const std::string& why,
                    Changes& changes);
  // A build of `package` succeeded on `name`: its count resets, a probation ends.
  void CountSuccess(const std::string& name, const std::string& package, Changes& changes);
  // Grounded=False (`reason`, `message`) and its count reset, when `name`
  // is grounded or on probation (a cause may be gone).
  void Unground(const std::string& name, const std::string& reason, const std::string& message,
                Changes& changes);
  // Its failures are not held against it: the count resets, and it is
  // ungrounded (an operator's word, a fault the swarm shared).
  void Forgive(const std::string& name, const std::string& reason, const std::string& message,
               Changes& changes);
  // Unground(api::reason::kCauseGone, message) for every roster member.
  void UngroundEveryone(const std::string& message, Changes& changes);
  // A drone grounded for the cooldown goes on probation; `next` is lowered to
  // when to look again.
  void ReconcileCooldown(const std::string& name, Changes& changes, Duration* next);

  // --- Systemic faults (the Swarm condition SystemicFault) ---
  // A build failure blamed on `name`: when Ready drones fail alike (the
  // failing-alike window), a systemic fault nobody is grounded for; else the
  // drone's own failure (CountFailure). Returns whether a fault was raised.
  bool JudgeDroneFailure(const std::string& name, const std::string& package,
                         const api::BuildResult& result, Changes& changes);
  // `name` reported a Systemic failure: recorded in the failing-alike
  // window. Returns the roster members that reported one within it, `name`
  // included (reconcilers::ApplyBuildResult judges how many is enough).
  std::set<std::string> RecordSystemicReport(const std::string& name);
  // Raises SystemicFault (`reason`, `evidence`) on the word of `drones`,
  // whose failures were the swarm's, not theirs: each is forgiven. Returns
  // what Raise returns.
  bool RaiseShared(const std::string& reason, const std::string& evidence,
                   const std::set<std::string>& drones, Changes& changes);
  // Raises SystemicFault; unless it persists after a recent remediation,
  // every member is asked to re-sync and the queue is discovered again. False
  // when a fault stands already. Call Raised() once committed.
  bool Raise(const std::string& reason, const std::string& evidence, Changes& changes);
  void Raised();
  // A stored fault that is not Persistent is being remediated: picked up
  // again level-triggered (a restart, a failed write).
  void ArmFromStoredFault();
  bool remediation_pending() const { return remediation_pending_; }
  // The remediation is done: clears the fault and ungrounds everyone (into
  // `changes`); false when none is pending. Call RemediationFinished() once committed.
  bool FinishRemediation(Changes& changes);
  void RemediationFinished();
  // The spec's tree or deploy changed: a standing fault is cleared, to be
  // looked at again from scratch. True when one was: call Forget() once
  // committed.
  bool SpecChanged(Changes& changes);
  // `swarmctl fresh`: the fault and every grounding are cleared. Call
  // Forget() once committed.
  void FreshStart(Changes& changes);
  // Nothing remembered: no remediation pending or recent, no failures in the window.
  void Forget();

 private:
  const SwarmState& state_;
  Clock* const clock_;
  reconcilers::FailingAlikeWindow failing_alike_;
  bool remediation_pending_ = false;          // a fault's re-sync and rediscovery
  std::optional<WallTime> last_remediation_;  // when the last one finished
};

}  // namespace swarm::controller

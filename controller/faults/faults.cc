#include "controller/faults/faults.h"

#include <spdlog/spdlog.h>

#include "api/conditions.h"
#include "api/events.h"
#include "base/strings.h"
#include "controller/reconcilers/tree_sync.h"

namespace swarm::controller {
namespace {

// A systemic fault that comes back this soon after a remediation is not
// remediated again: re-syncing did not help, a person has to look.
constexpr Duration kRemediationMemory = std::chrono::hours(1);

}  // namespace

void Faults::Restore() {
  if (!state_.swarm) return;
  const api::Condition* fault =
      api::FindCondition(state_.swarm->status.conditions, api::condition::kSystemicFault);
  if (fault != nullptr && fault->reason == api::reason::kRemediated) {
    last_remediation_ = fault->last_transition_time;
  }
}

void Faults::CountFailure(const std::string& name, const std::string& package,
                          const std::string& why, Changes& changes) {
  api::DroneStatus& s = changes.Drone(state_, name);
  ++s.consecutive_failures;
  if (auto c = reconcilers::GroundAfterFailure(s, state_.swarm->spec.policy.ground_after_failures,
                                               package, why)) {
    api::SetCondition(s.conditions, *c, clock_->Now());
    changes.Event(api::kKindDrone, name, api::events::kWarning, api::events::kDroneGrounded, c->message);
    spdlog::warn("drone {} grounded: {}", name, c->message);
  }
}

void Faults::CountSuccess(const std::string& name, const std::string& package,
                          Changes& changes) {
  api::DroneStatus& s = changes.Drone(state_, name);
  s.consecutive_failures = 0;
  if (auto c = reconcilers::ClearAfterSuccess(s)) {
    api::SetCondition(s.conditions, *c, clock_->Now());
    changes.Event(api::kKindDrone, name, api::events::kNormal, api::events::kDroneUngrounded,
                  c->message + ": " + package);
  }
}

void Faults::Unground(const std::string& name, const std::string& reason,
                      const std::string& message, Changes& changes) {
  const api::DroneStatus& cur = changes.PeekDrone(state_, name);
  auto c = reconcilers::Unground(cur, reason, message);
  if (!c) return;
  api::DroneStatus& s = changes.Drone(state_, name);
  api::SetCondition(s.conditions, *c, clock_->Now());
  s.consecutive_failures = 0;
  changes.Event(api::kKindDrone, name, api::events::kNormal, api::events::kDroneUngrounded, c->message);
}

void Faults::Forgive(const std::string& name, const std::string& reason,
                     const std::string& message, Changes& changes) {
  changes.Drone(state_, name).consecutive_failures = 0;
  Unground(name, reason, message, changes);
}

void Faults::UngroundEveryone(const std::string& message, Changes& changes) {
  for (const auto& member : state_.swarm->spec.drones) {
    Unground(member.name, api::reason::kCauseGone, message, changes);
  }
}

void Faults::ReconcileCooldown(const std::string& name, Changes& changes, Duration* next) {
  const api::DroneStatus& cur = changes.PeekDrone(state_, name);
  auto cooldown = reconcilers::ReconcileGroundingCooldown(
      cur, state_.swarm->spec.policy.grounding_cooldown, clock_->Now());
  if (cooldown.probation) {
    api::DroneStatus& s = changes.Drone(state_, name);
    api::SetCondition(s.conditions, *cooldown.probation, clock_->Now());
    changes.Event(api::kKindDrone, name, api::events::kNormal, api::events::kDroneOnProbation,
                  name + ": " + cooldown.probation->message);
  }
  if (cooldown.requeue_after) Earliest(next, *cooldown.requeue_after + Duration(1));
}

bool Faults::JudgeDroneFailure(const std::string& name, const std::string& package,
                               const api::BuildResult& result, Changes& changes) {
  // An OOM kill is the package outgrowing the drone (the learned memory
  // floor deals with it), not a fault the swarm shares.
  const std::string signature = result.failure_class + ": " + result.message;
  std::set<std::string> alike;
  if (!result.oom_killed) alike = failing_alike_.Record(name, signature, clock_->SteadyNow());
  int ready = 0;
  for (const auto& member : state_.swarm->spec.drones) {
    const bool is_ready =
        api::IsConditionTrue(state_.Status(member.name).conditions, api::condition::kReady);
    if (api::HasRole(member, api::kRoleBuild) && is_ready) ++ready;
    if (!is_ready) alike.erase(member.name);
  }
  for (auto it = alike.begin(); it != alike.end();) {
    it = state_.RosterMember(*it) ? std::next(it) : alike.erase(it);
  }
  if (!reconcilers::IsFailingAlike(alike.size(), ready,
                                   state_.swarm->spec.policy.systemic_failure_fraction)) {
    CountFailure(name, package, result.message, changes);
    return false;
  }
  return RaiseShared("FailingAlike",
                     std::to_string(alike.size()) + " of " + std::to_string(ready) +
                         " Ready drones failed alike within 10m (" +
                         Join(std::vector<std::string>(alike.begin(), alike.end()), ", ") +
                         "): " + signature,
                     alike, changes);
}

std::set<std::string> Faults::RecordSystemicReport(const std::string& name) {
  // The signature is the class alone: drones that hit one broken tree fail
  // different packages with different words.
  std::set<std::string> reporters =
      failing_alike_.Record(name, api::kFailureSystemic, clock_->SteadyNow());
  std::erase_if(reporters, [&](const std::string& d) { return !state_.RosterMember(d); });
  return reporters;
}

bool Faults::RaiseShared(const std::string& reason, const std::string& evidence,
                         const std::set<std::string>& drones, Changes& changes) {
  const bool raised = Raise(reason, evidence, changes);
  // A shared fault is nobody's own: their counts and groundings for it go.
  for (const auto& d : drones) {
    Forgive(d, api::reason::kSharedFault, "its failures were a swarm-wide fault", changes);
  }
  return raised;
}

bool Faults::Raise(const std::string& reason, const std::string& evidence, Changes& changes) {
  api::Swarm& next = changes.Swarm(state_);
  const WallTime now = clock_->Now();
  if (api::IsConditionTrue(next.status.conditions, api::condition::kSystemicFault)) return false;
  const bool persists = last_remediation_ && now - *last_remediation_ < kRemediationMemory;
  std::string message = evidence;
  if (persists) {
    message += "; it persists after the re-sync and rediscovery of " +
               FormatTime(*last_remediation_) +
               ": nothing is dispatched until the tree or profile is fixed and swarmctl fresh "
               "runs (or the spec changes)";
  } else {
    message += "; nothing is dispatched: every member re-syncs and the queue is discovered again";
  }
  api::SetCondition(next.status.conditions,
                    {api::condition::kSystemicFault, api::kTrue,
                     persists ? api::reason::kPersistent : reason, message, {}},
                    now);
  changes.Event(api::kKindSwarm, next.metadata.name, api::events::kWarning, api::events::kSystemicFault,
                message);
  if (persists) return true;
  // The remediation: every member re-syncs (the stored condition asks for
  // it, so a restart keeps asking), then the queue is discovered again.
  for (const auto& member : next.spec.drones) {
    api::SetCondition(changes.Drone(state_, member.name).conditions,
                      reconcilers::ResyncRequested("re-sync requested by a systemic fault"), now);
  }
  return true;
}

void Faults::Raised() {
  spdlog::warn("systemic fault: {}", api::FindCondition(state_.swarm->status.conditions,
                                                        api::condition::kSystemicFault)
                                         ->message);
  ArmFromStoredFault();
}

void Faults::ArmFromStoredFault() {
  const api::Condition* fault =
      api::FindCondition(state_.swarm->status.conditions, api::condition::kSystemicFault);
  if (fault != nullptr && fault->status == api::kTrue &&
      fault->reason != api::reason::kPersistent) {
    remediation_pending_ = true;
  }
}

bool Faults::FinishRemediation(Changes& changes) {
  if (!remediation_pending_) return false;
  const WallTime now = clock_->Now();
  api::SetCondition(changes.Swarm(state_).status.conditions,
                    {api::condition::kSystemicFault, api::kFalse, api::reason::kRemediated,
                     "every member re-synced and the queue was discovered again at " +
                         FormatTime(now) + "; dispatch resumed",
                     {}},
                    now);
  changes.Event(api::kKindSwarm, state_.swarm->metadata.name, api::events::kNormal,
                api::events::kSystemicFaultCleared,
                "systemic fault remediated: members re-synced, queue discovered again");
  UngroundEveryone("the queue was discovered again on a re-synced tree", changes);
  return true;
}

void Faults::RemediationFinished() {
  remediation_pending_ = false;
  last_remediation_ = clock_->Now();
  failing_alike_.Clear();
  spdlog::info("systemic fault remediated: dispatch resumes");
}

bool Faults::SpecChanged(Changes& changes) {
  api::Swarm& next = changes.Swarm(state_);
  const api::Condition* fault =
      api::FindCondition(next.status.conditions, api::condition::kSystemicFault);
  if (fault == nullptr || fault->status != api::kTrue) return false;
  api::SetCondition(next.status.conditions,
                    {api::condition::kSystemicFault, api::kFalse, api::reason::kSpecChanged,
                     "the spec's tree or deploy changed; was: " + fault->message, {}},
                    clock_->Now());
  return true;
}

void Faults::FreshStart(Changes& changes) {
  const WallTime now = clock_->Now();
  api::Swarm& next = changes.Swarm(state_);
  if (const api::Condition* fault =
          api::FindCondition(next.status.conditions, api::condition::kSystemicFault);
      fault != nullptr && fault->status == api::kTrue) {
    api::SetCondition(next.status.conditions,
                      {api::condition::kSystemicFault, api::kFalse, api::reason::kFreshStart,
                       "cleared by swarmctl fresh; was: " + fault->message, {}},
                      now);
  }
  for (const auto& member : next.spec.drones) {
    api::DroneStatus& s = changes.Drone(state_, member.name);
    s.consecutive_failures = 0;
    if (api::FindCondition(s.conditions, api::condition::kGrounded)) {
      api::SetCondition(s.conditions,
                        {api::condition::kGrounded, api::kFalse, api::reason::kFreshStart,
                         "cleared by swarmctl fresh", {}},
                        now);
    }
  }
}

void Faults::Forget() {
  remediation_pending_ = false;
  last_remediation_.reset();
  failing_alike_.Clear();
}

}  // namespace swarm::controller

#include "controller/reconcilers/grounding.h"

#include <cmath>

#include "api/quantity.h"

namespace swarm::controller::reconcilers {
namespace {

const api::Condition* Grounded(const api::DroneStatus& s) {
  return api::FindCondition(s.conditions, api::condition::kGrounded);
}

}  // namespace

bool IsGrounded(const api::DroneStatus& s) {
  const api::Condition* c = Grounded(s);
  return c != nullptr && c->status == api::kTrue;
}

bool OnProbation(const api::DroneStatus& s) {
  const api::Condition* c = Grounded(s);
  return c != nullptr && c->status == api::kFalse && c->reason == api::reason::kProbation;
}

std::optional<api::Condition> GroundAfterFailure(const api::DroneStatus& s, int ground_after,
                                                 const std::string& package,
                                                 const std::string& message) {
  if (IsGrounded(s)) return std::nullopt;
  const bool probation = OnProbation(s);
  if (!probation && s.consecutive_failures < ground_after) return std::nullopt;
  std::string why = probation ? "its probation build " + package + " failed too: " + message
                              : std::to_string(s.consecutive_failures) +
                                    " drone failures in a row (groundAfterFailures " +
                                    std::to_string(ground_after) + "); last: " + package + ": " +
                                    message;
  return api::Condition{api::condition::kGrounded, api::kTrue, api::reason::kRepeatedFailures,
                        why + "; no work until the cause is gone, the cooldown ends and a "
                              "probation build succeeds, or swarmctl unground",
                        {}};
}

std::optional<api::Condition> ClearAfterSuccess(const api::DroneStatus& s) {
  if (!OnProbation(s)) return std::nullopt;
  return api::Condition{api::condition::kGrounded, api::kFalse, api::reason::kProbationPassed,
                        "its probation build succeeded", {}};
}

std::optional<api::Condition> Unground(const api::DroneStatus& s, const std::string& reason,
                                       const std::string& message) {
  if (!IsGrounded(s) && !OnProbation(s)) return std::nullopt;
  return api::Condition{api::condition::kGrounded, api::kFalse, reason, message, {}};
}

CooldownDecision ReconcileGroundingCooldown(const api::DroneStatus& s, Duration cooldown,
                                            WallTime now) {
  CooldownDecision out;
  if (!IsGrounded(s)) return out;
  const WallTime due = Grounded(s)->last_transition_time + cooldown;
  if (now < due) {
    out.requeue_after = std::chrono::duration_cast<Duration>(due - now);
    return out;
  }
  out.probation = api::Condition{api::condition::kGrounded, api::kFalse, api::reason::kProbation,
                                 "groundingCooldown " + api::FormatDuration(cooldown) +
                                     " passed: on probation, its next build decides",
                                 {}};
  return out;
}

bool IsFailingAlike(size_t alike, int ready, double fraction) {
  if (alike < 2) return false;
  return static_cast<double>(alike) >= std::ceil(fraction * std::max(ready, 0) - 1e-9);
}

std::set<std::string> FailingAlikeWindow::Record(const std::string& drone,
                                                 const std::string& signature, SteadyTime now) {
  while (!failures_.empty() && now - failures_.front().at > kWindow) failures_.pop_front();
  failures_.push_back({drone, signature, now});
  std::set<std::string> alike;
  for (const auto& f : failures_) {
    if (f.signature == signature) alike.insert(f.drone);
  }
  return alike;
}

}  // namespace swarm::controller::reconcilers

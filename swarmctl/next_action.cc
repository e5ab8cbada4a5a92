#include "swarmctl/next_action.h"

#include <algorithm>

#include "api/protocol.h"
#include "api/quantity.h"
#include "api/types.h"
#include "swarmctl/describe_sections.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/package_table.h"
#include "swarmctl/text.h"

namespace swarm::ctl {
namespace {

// The condition of `type` in `object`'s status when its status is `status`
// and, unless `reason` is empty, its reason is `reason`; else nullptr.
const Json* Matching(const Json& object, const std::string& type, const std::string& status,
                     const std::string& reason) {
  const Json* c = FindConditionAt(object, {"status", "conditions"}, type);
  if (c == nullptr || StringOr(*c, {"status"}, api::kUnknown) != status) return nullptr;
  if (!reason.empty() && StringOr(*c, {"reason"}, "") != reason) return nullptr;
  return c;
}

std::string Quoted(const Json& condition) {
  return Abbreviate(StringOr(condition, {"message"}, ""), kMaxQuotedMessage);
}

// The evidence of a condition, cut: what the line quotes before its own remedy.
std::string QuotedEvidence(const Json& condition) {
  return Abbreviate(Evidence(StringOr(condition, {"message"}, "")), kMaxQuotedMessage);
}

// "drone-x: deploy hook keeps failing (exit 1 ...); fix hooks.deploy on drone-x — ..."
std::string HookFailing(const std::string& drone, const std::string& what, const std::string& hook,
                        const Json& condition) {
  const std::string message = Quoted(condition);
  std::string line = drone + ": " + what + " hook keeps failing";
  if (!message.empty()) line += " (" + message + ")";
  return line + "; fix hooks." + hook + " on " + drone + " — it is retried automatically";
}

// A fault that came back soon after the controller's re-sync and
// rediscovery: the controller stops remediating and waits for a person. The
// reason is Persistent; the message check also catches a controller that
// words it as SystemicFailure "... persists after re-sync and rediscovery".
bool Persists(const Json& fault) {
  return StringOr(fault, {"reason"}, "") == api::reason::kPersistent ||
         StringOr(fault, {"message"}, "").find("persists after") != std::string::npos;
}

void SwarmActions(const Json& swarm, std::vector<std::string>& out) {
  if (const Json* c = Matching(swarm, api::condition::kSystemicFault, api::kTrue, "")) {
    std::string evidence = QuotedEvidence(*c);
    if (evidence.empty()) evidence = "see `swarmctl describe swarm`";
    if (Persists(*c)) {
      out.push_back("systemic fault persists after re-sync and rediscovery: " + evidence +
                    "; nothing is dispatched until you fix the portage tree or profile and run "
                    "`swarmctl fresh`");
    } else {
      out.push_back("systemic fault: " + evidence +
                    "; nothing is dispatched while the controller re-syncs every member and "
                    "rediscovers the queue — dispatch resumes on its own once the new queue is in");
    }
  }
  if (const Json* c = Matching(swarm, api::condition::kQueueCurrent, api::kFalse, "DiscoveryFailed")) {
    const std::string message = Quoted(*c);
    out.push_back("queue discovery on " +
                  StringOr(swarm, {"spec", "queue", "discoverOn"}, "the discover member") +
                  " fails" + (message.empty() ? "" : ": " + message) +
                  "; fix it or run `swarmctl fresh`");
  }
}

void HealthAction(const Json& drone, const std::string& name, std::vector<std::string>& out) {
  // An unreachable drone's health is stale; the unreachable line covers it.
  if (ReadyStatus(drone) != api::kTrue) return;
  const std::string health = StringOr(drone, {"status", "health"}, "");
  if (health != "DEGRADED" && health != "CRITICAL") return;
  const std::string why =
      Abbreviate(StringOr(drone, {"status", "healthReason"}, ""), kMaxQuotedMessage);
  out.push_back(name + " is " + health + (why.empty() ? "" : " (" + why + ")") +
                ": it gets no new builds until it is HEALTHY again");
}

void DroneActions(const Json& swarm, const Json& drone, WallTime now,
                  std::vector<std::string>& out) {
  const std::string name = StringOr(drone, {"metadata", "name"}, kNone);
  if (Matching(drone, api::condition::kReady, api::kUnknown, api::reason::kNeverJoined)) {
    out.push_back(name + " never joined: start swarm-agent on it (token name must be " + name +
                  ")");
  }
  if (const Json* c = Matching(drone, api::condition::kReady, api::kUnknown, api::reason::kHeartbeatMissed)) {
    auto since = StringAt(*c, {"lastTransitionTime"});
    if (!since) since = StringAt(drone, {"status", "lastHeartbeatTime"});
    out.push_back(name + " is unreachable" +
                  (since ? " since " + TimeWithAge(since, now, "") : "") +
                  ": check the host and its network (its work is reclaimed automatically)");
  }
  if (const Json* c = Matching(drone, api::condition::kGrounded, api::kTrue, "")) {
    const std::string evidence = QuotedEvidence(*c);
    const std::string cooldown = StringOr(swarm, {"spec", "policy", "groundingCooldown"}, "");
    out.push_back(name + " is grounded" + (evidence.empty() ? "" : ": " + evidence) +
                  "; find what fails on it (`swarmctl describe drone " + name +
                  "`), fix it and run `swarmctl unground " + name +
                  "` — else it gets one probation build after groundingCooldown" +
                  (cooldown.empty() ? "" : " (" + cooldown + ")"));
  }
  if (const Json* c = Matching(drone, api::condition::kCapacityWithinLabels, api::kFalse,
                               api::reason::kLabelsMissing)) {
    out.push_back(name + " gets no build work: " + QuotedEvidence(*c) +
                  "; add cores and memory labels to its entry in spec.drones");
  }
  if (const Json* c = Matching(drone, api::condition::kCapacityWithinLabels, api::kFalse,
                               api::reason::kReportOverLabels)) {
    out.push_back(name + " " + QuotedEvidence(*c) +
                  ": it is counted as labelled; check its agent and who holds its token, or "
                  "correct its labels in spec.drones");
  }
  HealthAction(drone, name, out);
  if (const Json* c = Matching(drone, api::condition::kDeployed, api::kFalse, "DeployFailed")) {
    out.push_back(HookFailing(name, "deploy", "deploy", *c));
  }
  if (const Json* c = Matching(drone, api::condition::kTreeSynced, api::kFalse, "SyncFailed")) {
    out.push_back(HookFailing(name, "tree sync", "sync", *c));
  }
  if (IsCordoned(drone)) {
    out.push_back(name + " is cordoned: it takes no new work; run `swarmctl uncordon " + name +
                  "` to give it work again");
  }
}

// "<pkg> is blocked: <why>; <what would unblock it>".
std::string BlockedLine(const Json& package) {
  const std::string name = StringOr(package, {"metadata", "name"}, kNone);
  const std::string reason = StringOr(package, {"status", "reason"}, "");
  std::string why = Abbreviate(Evidence(reason), kMaxQuotedMessage);
  if (why.empty()) {
    const std::string failure = LastFailureColumn(package);
    why = failure == kNone ? "no reason recorded" : Abbreviate(failure, kMaxQuotedMessage);
  }
  std::string line = name + " is blocked: " + why;
  if (OneLine(reason).rfind(kNoDroneCanTakeIt, 0) != 0) {
    return line + "; fix the cause, then run `swarmctl fresh` to rediscover the queue";
  }
  // Capacity: the scheduler takes it up again by itself once a drone fits.
  const auto more_than = IntAt(package, {"status", "needsMemoryOver"});
  if (more_than && *more_than > 0) {
    return line + "; a build drone with more than " + api::FormatMemory(*more_than) +
           " of memory would take it: add one to spec.drones — it is dispatched once one fits";
  }
  return line +
         "; a build drone with what it needs would take it: add one to spec.drones or relax "
         "spec.queue.requirements — it is dispatched once one fits";
}

// "1 package", "2 packages".
std::string Packages(int64_t n) { return std::to_string(n) + (n == 1 ? " package" : " packages"); }

void PackageActions(const Json& swarm, const std::optional<std::vector<const Json*>>& packages,
                    std::vector<std::string>& out) {
  if (!packages) {
    const int64_t blocked = IntAt(swarm, {"status", "queue", "blocked"}).value_or(0);
    if (blocked > 0) {
      out.push_back(Packages(blocked) + " blocked: see `swarmctl get packages -o wide`");
    }
    return;
  }
  size_t blocked = 0;
  for (const Json* p : *packages) {
    if (StringOr(*p, {"status", "phase"}, "") != api::kPhaseBlocked) continue;
    if (++blocked <= kMaxBlockedNamed) out.push_back(BlockedLine(*p));
  }
  if (blocked > kMaxBlockedNamed) {
    const size_t more = blocked - kMaxBlockedNamed;
    out.push_back("and " + std::to_string(more) + " more blocked " +
                  (more == 1 ? "package" : "packages") + ": see `swarmctl get packages -o wide`");
  }
}

// A release cut and held back by spec.binhost.promotion Manual waits for a
// person; the other reasons of Released False do not (a rollback is one's
// choice, a failed verification requeues its packages on its own).
void ReleaseActions(const Json& swarm, std::vector<std::string>& out) {
  if (!Matching(swarm, api::condition::kReleased, api::kFalse, api::reason::kAwaitingPromotion)) {
    return;
  }
  const std::string latest = StringOr(swarm, {"status", "release", "latest"}, "");
  if (latest.empty()) {
    out.push_back(
        "the latest release awaits promotion (spec.binhost.promotion is Manual): see "
        "`swarmctl get releases` and run `swarmctl promote <release>`");
    return;
  }
  out.push_back("release " + latest +
                " awaits promotion (spec.binhost.promotion is Manual): check it (`swarmctl "
                "describe release " +
                latest + "`) and run `swarmctl promote " + latest + "`");
}

}  // namespace

std::string Evidence(const std::string& message) {
  // The remedies controller/swarm_builds.cc, reconcilers/grounding.cc,
  // reconcilers/build_outcome.cc and reconcilers/capacity.cc append. Should their wording change, the
  // line repeats the remedy: redundant, never wrong.
  static const char* const kRemedies[] = {"; nothing is dispatched", "; it persists after",
                                          "; no work until",         "; fix the package",
                                          ": it gets no work until", ": counted as labelled"};
  size_t cut = message.size();
  for (const char* r : kRemedies) cut = std::min(cut, message.find(r));
  return message.substr(0, cut);
}

std::vector<std::string> NextActions(const Json& swarm, const std::vector<const Json*>& drones,
                                     const std::optional<std::vector<const Json*>>& packages,
                                     WallTime now) {
  std::vector<std::string> out;
  SwarmActions(swarm, out);
  for (const Json* d : drones) DroneActions(swarm, *d, now, out);
  PackageActions(swarm, packages, out);
  ReleaseActions(swarm, out);
  return out;
}

std::string NothingToDo(const Json& swarm) {
  if (Matching(swarm, api::condition::kConverged, api::kTrue, "")) {
    return "NEXT ACTION: none — the swarm is converged";
  }
  return "NEXT ACTION: none — the swarm is converging on its own";
}

}  // namespace swarm::ctl

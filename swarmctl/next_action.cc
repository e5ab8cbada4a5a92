#include "swarmctl/next_action.h"

#include "api/protocol.h"
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

// "drone-x: deploy hook keeps failing (exit 1 ...); fix hooks.deploy on drone-x — ..."
std::string HookFailing(const std::string& drone, const std::string& what, const std::string& hook,
                        const Json& condition) {
  const std::string message = Quoted(condition);
  std::string line = drone + ": " + what + " hook keeps failing";
  if (!message.empty()) line += " (" + message + ")";
  return line + "; fix hooks." + hook + " on " + drone + " — it is retried automatically";
}

void SwarmActions(const Json& swarm, std::vector<std::string>& out) {
  if (const Json* c = Matching(swarm, "SystemicFault", api::kTrue, "")) {
    const std::string message = Quoted(*c);
    out.push_back("systemic fault: " +
                  (message.empty() ? "see `swarmctl describe swarm`" : message));
  }
  if (const Json* c = Matching(swarm, "QueueCurrent", api::kFalse, "DiscoveryFailed")) {
    const std::string message = Quoted(*c);
    out.push_back("queue discovery on " +
                  StringOr(swarm, {"spec", "queue", "discoverOn"}, "the discover member") +
                  " fails" + (message.empty() ? "" : ": " + message) +
                  "; fix it or run `swarmctl fresh`");
  }
}

void DroneActions(const Json& drone, WallTime now, std::vector<std::string>& out) {
  const std::string name = StringOr(drone, {"metadata", "name"}, kNone);
  if (Matching(drone, "Ready", api::kUnknown, "NeverJoined")) {
    out.push_back(name + " never joined: start swarm-agent on it (token name must be " + name +
                  ")");
  }
  if (const Json* c = Matching(drone, "Ready", api::kUnknown, "HeartbeatMissed")) {
    auto since = StringAt(*c, {"lastTransitionTime"});
    if (!since) since = StringAt(drone, {"status", "lastHeartbeatTime"});
    out.push_back(name + " is unreachable" +
                  (since ? " since " + TimeWithAge(since, now, "") : "") +
                  ": check the host and its network (its work is reclaimed automatically)");
  }
  if (const Json* c = Matching(drone, "Deployed", api::kFalse, "DeployFailed")) {
    out.push_back(HookFailing(name, "deploy", "deploy", *c));
  }
  if (const Json* c = Matching(drone, "TreeSynced", api::kFalse, "SyncFailed")) {
    out.push_back(HookFailing(name, "tree sync", "sync", *c));
  }
}

std::string BlockedReason(const Json& package) {
  std::string reason = Abbreviate(StringOr(package, {"status", "reason"}, ""), kMaxQuotedMessage);
  if (!reason.empty()) return reason;
  const std::string failure = LastFailureColumn(package);
  return failure == kNone ? "no reason recorded" : Abbreviate(failure, kMaxQuotedMessage);
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
    if (++blocked <= kMaxBlockedNamed) {
      out.push_back(StringOr(*p, {"metadata", "name"}, kNone) +
                    " is blocked: " + BlockedReason(*p));
    }
  }
  if (blocked > kMaxBlockedNamed) {
    const size_t more = blocked - kMaxBlockedNamed;
    out.push_back("and " + std::to_string(more) + " more blocked " +
                  (more == 1 ? "package" : "packages") + ": see `swarmctl get packages -o wide`");
  }
}

}  // namespace

std::vector<std::string> NextActions(const Json& swarm, const std::vector<const Json*>& drones,
                                     const std::optional<std::vector<const Json*>>& packages,
                                     WallTime now) {
  std::vector<std::string> out;
  SwarmActions(swarm, out);
  for (const Json* d : drones) DroneActions(*d, now, out);
  PackageActions(swarm, packages, out);
  return out;
}

std::string NothingToDo(const Json& swarm) {
  if (Matching(swarm, "Converged", api::kTrue, "")) {
    return "NEXT ACTION: none — the swarm is converged";
  }
  return "NEXT ACTION: none — the swarm is converging on its own";
}

}  // namespace swarm::ctl

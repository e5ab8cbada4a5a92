#include "swarmctl/drone_verbs.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "api/types.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/errors.h"

namespace swarm::ctl {
namespace {

// status.assignments, or nullopt when the reply has no such list.
std::optional<std::vector<std::string>> AssignmentsOf(const Json& drone) {
  const Json* a = Find(drone, {"status", "assignments"});
  if (a == nullptr || !a->is_array()) return std::nullopt;
  return StringsAt(drone, {"status", "assignments"});
}

std::vector<std::string> Minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& s : a) {
    if (std::find(b.begin(), b.end(), s) == b.end()) out.push_back(s);
  }
  return out;
}

// "(2 builds returned to the queue: a, b)"; "" when the replies do not tell.
std::string Returned(const Json& before, const Json& after) {
  auto held = AssignmentsOf(before);
  auto still = AssignmentsOf(after);
  if (!held || !still) return "";
  const auto returned = Minus(*held, *still);
  std::string s;
  if (returned.empty()) {
    s = " (no builds were assigned to it";
  } else {
    s = " (" + std::to_string(returned.size()) + (returned.size() == 1 ? " build" : " builds") +
        " returned to the queue: " + JoinOr(returned, ", ", "");
  }
  if (!still->empty()) s += "; still assigned: " + JoinOr(*still, ", ", "");
  return s + ")";
}

// An error when the reply says the drone's cordoned flag is not `want`; a
// reply without the flag is taken at its 200.
Status CheckCordoned(const std::string& name, const std::string& path, const Json& after,
                     bool want) {
  const Json* c = Find(after, {"status", "cordoned"});
  if (c == nullptr || !c->is_boolean() || c->get<bool>() == want) return Status::Ok();
  return Internal("POST " + path + " succeeded, but the reply shows " + name + " " +
                  (want ? "not cordoned" : "still cordoned"));
}

std::string UngroundedLine(const std::string& name, const Json& before, const Json& after) {
  const Json* grounded = FindConditionAt(before, {"status", "conditions"}, api::condition::kGrounded);
  const std::string was = grounded ? StringOr(*grounded, {"status"}, "") : "";
  const std::string reason = grounded ? StringOr(*grounded, {"reason"}, "") : "";
  if (was == api::kTrue) return "drone/" + name + " ungrounded";
  if (reason == api::reason::kProbation) return "drone/" + name + " ungrounded (it was on probation)";
  std::string line = "drone/" + name + " was not grounded";
  const auto failures = IntAt(before, {"status", "consecutiveFailures"});
  const auto now = IntAt(after, {"status", "consecutiveFailures"});
  if (failures && now && *failures > 0 && *now == 0) {
    line += "; its failure count (" + std::to_string(*failures) + ") was reset";
  }
  return line;
}

}  // namespace

const char* DroneVerbName(DroneVerb verb) {
  switch (verb) {
    case DroneVerb::kCordon:
      return "cordon";
    case DroneVerb::kUncordon:
      return "uncordon";
    case DroneVerb::kDrain:
      return "drain";
    case DroneVerb::kUnground:
      return "unground";
  }
  return "?";
}

int RunDroneVerb(DroneVerb verb, const std::string& drone, ApiTransport& api, std::ostream& out,
                 std::ostream& err) {
  if (drone.empty()) {
    return Fail(err, InvalidArgument(std::string(DroneVerbName(verb)) + " needs a drone name"),
                kExitUsage);
  }
  const std::string base = std::string(kDronesPath) + "/" + EscapeComponent(drone);
  auto before = GetJson(api, base);
  if (!before.ok()) return Fail(err, before.status());
  const std::string name = StringOr(*before, {"metadata", "name"}, drone);

  // kubectl's way: cordoning a cordoned node writes nothing and says so.
  if (verb == DroneVerb::kCordon && IsCordoned(*before)) {
    out << "drone/" << name << " already cordoned\n";
    return kExitOk;
  }
  if (verb == DroneVerb::kUncordon && !IsCordoned(*before)) {
    out << "drone/" << name << " already uncordoned\n";
    return kExitOk;
  }

  const std::string path = base + "/" + DroneVerbName(verb);
  auto after = PostJson(api, path, "{}");
  if (!after.ok()) return Fail(err, after.status());
  switch (verb) {
    case DroneVerb::kCordon:
    case DroneVerb::kDrain:
      if (Status s = CheckCordoned(name, path, *after, true); !s.ok()) return Fail(err, s);
      break;
    case DroneVerb::kUncordon:
      if (Status s = CheckCordoned(name, path, *after, false); !s.ok()) return Fail(err, s);
      break;
    case DroneVerb::kUnground:
      break;
  }
  switch (verb) {
    case DroneVerb::kCordon:
      out << "drone/" << name << " cordoned\n";
      break;
    case DroneVerb::kUncordon:
      out << "drone/" << name << " uncordoned\n";
      break;
    case DroneVerb::kDrain:
      out << "drone/" << name << " drained" << Returned(*before, *after) << '\n';
      break;
    case DroneVerb::kUnground:
      out << UngroundedLine(name, *before, *after) << '\n';
      break;
  }
  return kExitOk;
}

}  // namespace swarm::ctl

#include "swarmctl/drone_description.h"

#include "api/quantity.h"
#include "swarmctl/describe_sections.h"
#include "swarmctl/describe_writer.h"
#include "swarmctl/drone_fields.h"

namespace swarm::ctl {
namespace {

// The table's rounded size, with the byte count when rounding changed it.
std::string MemoryField(const Json& drone) {
  auto bytes = IntAt(drone, {"status", "resources", "memoryBytes"});
  if (!HasJoined(drone) || !bytes || *bytes <= 0) return kNotReported;
  std::string approx = ApproxMemory(*bytes);
  if (approx == api::FormatMemory(*bytes)) return approx;
  return approx + " (" + std::to_string(*bytes) + " bytes)";
}

std::string PercentField(const Json& drone, std::string_view field) {
  auto v = NumberAt(drone, {"status", "resources", field});
  if (!HasJoined(drone) || !v) return kNotReported;
  return FormatPercent(*v);
}

std::vector<std::string> Assignments(const Json& drone) {
  std::vector<std::string> out;
  const Json* a = Find(drone, {"status", "assignments"});
  if (a == nullptr || !a->is_array()) return out;
  for (const auto& item : *a) out.push_back(ScalarText(&item));
  return out;
}

// The builds the agent last reported: "dev-libs/openssl-3.3.3 Running
// (assignment 7c1e09aa-b42)".
std::vector<std::string> Builds(const Json& drone) {
  std::vector<std::string> out;
  for (const Json* b : ObjectsAt(drone, {"status", "builds"})) {
    std::string line = StringOr(*b, {"package"}, kNone);
    const std::string state = StringOr(*b, {"state"}, "");
    if (!state.empty()) line += " " + state;
    const std::string id = StringOr(*b, {"assignment"}, "");
    if (!id.empty()) line += " (assignment " + id + ")";
    out.push_back(std::move(line));
  }
  return out;
}

// "true" or "false" as the API says it; an odd value as it came.
std::string Cordoned(const Json& drone) {
  const Json* c = Find(drone, {"status", "cordoned"});
  if (c == nullptr || c->is_null()) return "false";
  return ScalarText(c);
}

}  // namespace

void DescribeDrone(const Json& drone, const std::optional<std::vector<const Json*>>& events,
                   WallTime now, std::ostream& out) {
  DescribeWriter w;
  w.Field(0, "Name", StringOr(drone, {"metadata", "name"}, kNone));
  w.Field(0, "Roles", JoinOr(StringsAt(drone, {"spec", "roles"}), ",", kNone));
  w.Lines(0, "Labels", KeyValuesAt(drone, {"spec", "labels"}));
  w.Heading(0, "Status");
  std::string health = StringOr(drone, {"status", "health"}, kNone);
  const std::string why = StringOr(drone, {"status", "healthReason"}, "");
  if (!why.empty()) health += " (" + why + ")";
  w.Field(1, "Health", health);
  w.Field(1, "Cordoned", Cordoned(drone));
  w.Field(1, "Deploy Version", StringOr(drone, {"status", "deployVersion"}, kNone));
  w.Field(1, "Tree Revision", StringOr(drone, {"status", "treeRevision"}, kNone));
  w.Field(1, "Cores", CoresColumn(drone));
  w.Field(1, "Memory", MemoryField(drone));
  w.Field(1, "Memory Used", PercentField(drone, "memoryUsedPercent"));
  w.Field(1, "Disk Used", PercentField(drone, "diskUsedPercent"));
  w.Field(1, "Load", LoadColumn(drone));
  w.Field(1, "Last Heartbeat",
          TimeWithAge(StringAt(drone, {"status", "lastHeartbeatTime"}), now, "<never>"));
  w.Field(1, "Consecutive Failures", ScalarText(Find(drone, {"status", "consecutiveFailures"})));
  w.Lines(1, "Assignments", Assignments(drone));
  w.Lines(1, "Builds", Builds(drone));
  w.Field(1, "Actions", ActionsColumn(drone));
  WriteConditions(w, ObjectsAt(drone, {"status", "conditions"}));
  WriteEvents(w, events, now);
  w.Print(out);
}

}  // namespace swarm::ctl

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
  w.Field(1, "Actions", ActionsColumn(drone));
  WriteConditions(w, ObjectsAt(drone, {"status", "conditions"}));
  WriteEvents(w, events, now);
  w.Print(out);
}

}  // namespace swarm::ctl

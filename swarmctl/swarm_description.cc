#include "swarmctl/swarm_description.h"

#include "swarmctl/describe_sections.h"
#include "swarmctl/describe_writer.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/swarm_table.h"
#include "swarmctl/table.h"

namespace swarm::ctl {
namespace {

// "dev-qt/qtwebengine memory=32Gi cores=8": the match, then every other field.
std::vector<std::string> Requirements(const Json& swarm) {
  std::vector<std::string> out;
  for (const Json* r : ObjectsAt(swarm, {"spec", "queue", "requirements"})) {
    std::string line = StringOr(*r, {"match"}, kNone);
    for (const auto& [k, v] : r->items()) {
      if (k == "match" || v.is_null() || (v.is_string() && v.get<std::string>().empty())) continue;
      line += " " + k + "=" + ScalarText(&v);
    }
    out.push_back(line);
  }
  return out;
}

void WriteQueue(DescribeWriter& w, const Json& swarm) {
  w.Heading(1, "Queue");
  w.Field(2, "Discover On", StringOr(swarm, {"spec", "queue", "discoverOn"}, kNone));
  w.Field(2, "Targets", JoinOr(StringsAt(swarm, {"spec", "queue", "targets"}), " ", kNone));
  w.Field(2, "Emerge Args", StringOr(swarm, {"spec", "queue", "emergeArgs"}, kNone));
  w.Lines(2, "Packages", StringsAt(swarm, {"spec", "queue", "packages"}));
  w.Lines(2, "Requirements", Requirements(swarm));
}

void WritePolicy(DescribeWriter& w, const Json& swarm) {
  auto policy = [&](std::string_view f) { return ScalarText(Find(swarm, {"spec", "policy", f})); };
  auto health = [&](std::string_view f) {
    return ScalarText(Find(swarm, {"spec", "policy", "health", f}));
  };
  w.Heading(1, "Policy");
  w.Field(2, "Heartbeat Interval", policy("heartbeatInterval"));
  w.Field(2, "Heartbeat Grace", policy("heartbeatGrace"));
  w.Field(2, "Ground After Failures", policy("groundAfterFailures"));
  w.Field(2, "Grounding Cooldown", policy("groundingCooldown"));
  w.Field(2, "Systemic Failure Fraction", policy("systemicFailureFraction"));
  w.Field(2, "Scheduling", policy("scheduling"));
  w.Field(2, "Require Capacity Labels", policy("requireCapacityLabels"));
  w.Field(2, "Health Probe Interval", health("probeInterval"));
  w.Field(2, "Memory Degraded Percent", health("memoryDegradedPercent"));
  w.Field(2, "Disk Degraded Percent", health("diskDegradedPercent"));
}

// The reconciled state beside the conditions: the queue's stamp and counts,
// the last fresh start the controller acted on, and the binhost's releases.
void WriteStatus(DescribeWriter& w, const Json& swarm) {
  w.Heading(0, "Status");
  w.Field(1, "Observed Fresh Request", StringOr(swarm, {"status", "observedFreshRequest"}, kNone));
  // A controller without releases has no status.release: nothing to say.
  if (const Json* release = Find(swarm, {"status", "release"}); release && release->is_object()) {
    w.Field(1, "Promoted Release", StringOr(*release, {"promoted"}, kNone));
    w.Field(1, "Latest Release", StringOr(*release, {"latest"}, kNone));
  }
  const Json* queue = DiscoveredQueue(swarm);
  if (queue == nullptr) {
    w.Field(1, "Queue", kNone);
    return;
  }
  auto count = [&](std::string_view f) { return ScalarText(Find(*queue, {f})); };
  w.Heading(1, "Queue");
  w.Field(2, "Tree Revision", StringOr(*queue, {"treeRevision"}, kNone));
  w.Field(2, "Deploy Version", StringOr(*queue, {"deployVersion"}, kNone));
  w.Field(2, "Total", count("total"));
  w.Field(2, "Needed", count("needed"));
  w.Field(2, "Building", count("building"));
  w.Field(2, "Complete", count("complete"));
  w.Field(2, "Failed", count("failed"));
  w.Field(2, "Blocked", count("blocked"));
}

void WriteRoster(DescribeWriter& w, const Json& swarm) {
  auto members = ObjectsAt(swarm, {"spec", "drones"});
  if (members.empty()) {
    w.Field(0, "Drones", kNone);
    return;
  }
  Table t({"NAME", "ROLES", "LABELS"});
  for (const Json* m : members) {
    t.AddRow({StringOr(*m, {"name"}, kNone), JoinOr(StringsAt(*m, {"roles"}), ",", "build"),
              JoinOr(KeyValuesAt(*m, {"labels"}), ",", kNone)});
  }
  w.Heading(0, "Drones");
  w.Rows(0, t);
}

}  // namespace

void DescribeSwarm(const Json& swarm, const std::optional<std::vector<const Json*>>& events,
                   WallTime now, std::ostream& out) {
  DescribeWriter w;
  w.Field(0, "Name", StringOr(swarm, {"metadata", "name"}, kNone));
  w.Field(0, "Generation", ScalarText(Find(swarm, {"metadata", "generation"})));
  w.Field(0, "Observed Generation", ScalarText(Find(swarm, {"status", "observedGeneration"})));
  w.Field(0, "Created",
          TimeWithAge(StringAt(swarm, {"metadata", "creationTimestamp"}), now, kNone));
  w.Lines(0, "Annotations", KeyValuesAt(swarm, {"metadata", "annotations"}));
  w.Heading(0, "Spec");
  w.Field(1, "Deploy Version", StringOr(swarm, {"spec", "deploy", "version"}, kNone));
  w.Field(1, "Tree Revision", StringOr(swarm, {"spec", "portage", "treeRevision"}, kNone));
  WriteQueue(w, swarm);
  WritePolicy(w, swarm);
  WriteRoster(w, swarm);
  WriteStatus(w, swarm);
  WriteConditions(w, ObjectsAt(swarm, {"status", "conditions"}));
  WriteEvents(w, events, now);
  w.Print(out);
}

}  // namespace swarm::ctl

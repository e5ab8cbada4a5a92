#include "swarmctl/swarm_table.h"

#include "api/types.h"
#include "swarmctl/age.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/table.h"

namespace swarm::ctl {
namespace {

std::string IntOr(const Json& j, std::initializer_list<std::string_view> path) {
  auto v = IntAt(j, path);
  return v ? std::to_string(*v) : kNotReported;
}

std::string ConditionSummary(const Json& swarm) {
  std::vector<std::string> parts;
  for (const Json* c : ObjectsAt(swarm, {"status", "conditions"})) {
    parts.push_back(StringOr(*c, {"type"}, "?") + "=" + StringOr(*c, {"status"}, api::kUnknown));
  }
  return JoinOr(parts, ",", kNone);
}

// "complete/total" of the queue; "-" before the controller reports one.
std::string QueueProgress(const Json& swarm) {
  const Json* queue = DiscoveredQueue(swarm);
  if (queue == nullptr) return kNotReported;
  auto complete = IntAt(*queue, {"complete"});
  auto total = IntAt(*queue, {"total"});
  if (!complete || !total) return kNotReported;
  return std::to_string(*complete) + "/" + std::to_string(*total);
}

std::string ConvergedStatus(const Json& swarm) {
  const Json* c = FindConditionAt(swarm, {"status", "conditions"}, api::condition::kConverged);
  return c ? StringOr(*c, {"status"}, api::kUnknown) : kNotReported;
}

}  // namespace

const Json* DiscoveredQueue(const Json& swarm) {
  const Json* queue = Find(swarm, {"status", "queue"});
  if (queue == nullptr || !queue->is_object()) return nullptr;
  const bool stamped = !StringOr(*queue, {"treeRevision"}, "").empty();
  if (!stamped && IntAt(*queue, {"total"}).value_or(0) == 0) return nullptr;
  return queue;
}

DroneCounts CountReady(const std::vector<const Json*>& drones) {
  DroneCounts c;
  for (const Json* d : drones) {
    ++c.total;
    if (ReadyStatus(*d) == api::kTrue) ++c.ready;
  }
  return c;
}

void PrintSwarmTable(const Json& swarm, const DroneCounts& drones, bool wide, WallTime now,
                     std::ostream& out) {
  SwarmTable(swarm, drones, wide, now).Print(out);
}

Table SwarmTable(const Json& swarm, const DroneCounts& drones, bool wide, WallTime now) {
  std::vector<std::string> header = {"NAME", "GENERATION", "OBSERVED", "DRONES",   "DEPLOY",
                                     "TREE", "AGE",        "QUEUE",    "CONVERGED"};
  if (wide) header.insert(header.end(), {"DISCOVER ON", "CONDITIONS"});
  Table table(std::move(header));
  std::vector<std::string> row = {
      StringOr(swarm, {"metadata", "name"}, kNone),
      IntOr(swarm, {"metadata", "generation"}),
      IntOr(swarm, {"status", "observedGeneration"}),
      std::to_string(drones.ready) + "/" + std::to_string(drones.total),
      StringOr(swarm, {"spec", "deploy", "version"}, kNone),
      ShortRevision(StringOr(swarm, {"spec", "portage", "treeRevision"}, "")),
      AgeOf(StringAt(swarm, {"metadata", "creationTimestamp"}), now).value_or("<unknown>"),
      QueueProgress(swarm),
      ConvergedStatus(swarm),
  };
  if (wide) {
    row.insert(row.end(),
               {StringOr(swarm, {"spec", "queue", "discoverOn"}, kNone), ConditionSummary(swarm)});
  }
  table.AddRow(std::move(row));
  return table;
}

}  // namespace swarm::ctl

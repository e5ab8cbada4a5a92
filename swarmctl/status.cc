#include "swarmctl/status.h"

#include "api/conditions.h"
#include "swarmctl/describe_writer.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/errors.h"
#include "swarmctl/fetch.h"
#include "swarmctl/next_action.h"
#include "swarmctl/progress.h"
#include "swarmctl/swarm_table.h"
#include "swarmctl/table.h"
#include "swarmctl/text.h"

namespace swarm::ctl {
namespace {

std::string IntText(const Json& j, std::initializer_list<std::string_view> path) {
  auto v = IntAt(j, path);
  return v ? std::to_string(*v) : kNotReported;
}

void PrintHeader(const Json& swarm, std::ostream& out) {
  DescribeWriter w;
  w.Field(0, "Swarm", StringOr(swarm, {"metadata", "name"}, kNone));
  w.Field(0, "Generation",
          IntText(swarm, {"metadata", "generation"}) + " (observed " +
              IntText(swarm, {"status", "observedGeneration"}) + ")");
  w.Field(0, "Desired",
          "deploy " + StringOr(swarm, {"spec", "deploy", "version"}, kNone) + ", tree " +
              ShortRevision(StringOr(swarm, {"spec", "portage", "treeRevision"}, "")));
  w.Print(out);
}

void PrintConditions(const Json& swarm, std::ostream& out) {
  auto conditions = ObjectsAt(swarm, {"status", "conditions"});
  if (conditions.empty()) {
    out << "CONDITIONS: " << kNone << '\n';
    return;
  }
  Table t({"TYPE", "STATUS", "REASON", "MESSAGE"});
  for (const Json* c : conditions) {
    t.AddRow({StringOr(*c, {"type"}, kNone), StringOr(*c, {"status"}, kNone),
              StringOr(*c, {"reason"}, kNone), OneLine(StringOr(*c, {"message"}, kNone))});
  }
  out << "CONDITIONS\n";
  t.Print(out);
}

void PrintQueue(const Json& swarm, WallTime now, std::ostream& out) {
  const Json* queue = DiscoveredQueue(swarm);
  if (queue == nullptr) {
    out << "QUEUE: not discovered yet\n";
    return;
  }
  const std::string tree = StringOr(*queue, {"treeRevision"}, "");
  out << "QUEUE (tree " << ShortRevision(tree) << ", deploy "
      << StringOr(*queue, {"deployVersion"}, kNone) << ")\n";
  Table t({"NEEDED", "BUILDING", "COMPLETE", "FAILED", "BLOCKED", "TOTAL"});
  t.AddRow({IntText(*queue, {"needed"}), IntText(*queue, {"building"}),
            IntText(*queue, {"complete"}), IntText(*queue, {"failed"}),
            IntText(*queue, {"blocked"}), IntText(*queue, {"total"})});
  t.Print(out);
  // What the controller's last pass made of it.
  auto progress = ProgressOf(swarm, now);
  if (!progress || !Find(swarm, {"status", "progress"})) return;
  out << "ETA: " << (progress->eta ? FormatEta(*progress->eta) : "unknown") << '\n';
  out << "IDLE: " << IdleLine(*progress) << '\n';
}

// One line: the release /binhost/current serves, and the newest one cut
// when that is another. Nothing from a controller that has no releases.
void PrintRelease(const Json& swarm, std::ostream& out) {
  const Json* release = Find(swarm, {"status", "release"});
  if (release == nullptr || !release->is_object()) return;
  const std::string promoted = StringOr(*release, {"promoted"}, "");
  const std::string latest = StringOr(*release, {"latest"}, "");
  out << "RELEASE: ";
  if (promoted.empty() && latest.empty()) {
    out << "none cut yet\n";
  } else if (promoted.empty()) {
    out << "none promoted; latest " << latest << '\n';
  } else if (latest.empty() || latest == promoted) {
    out << promoted << " (promoted)\n";
  } else {
    out << promoted << " (promoted); latest " << latest << '\n';
  }
}

void PrintDrones(const std::vector<const Json*>& drones, std::ostream& out) {
  if (drones.empty()) {
    out << "DRONES: " << kNone << '\n';
    return;
  }
  Table t({"NAME", "STATUS", "DEPLOYED", "TREESYNCED", "HEALTH", "ACTIONS", "BUILDING"});
  for (const Json* d : drones) {
    t.AddRow({StringOr(*d, {"metadata", "name"}, kNone), StatusColumn(*d),
              ConditionColumn(*d, api::condition::kDeployed), ConditionColumn(*d, api::condition::kTreeSynced),
              StringOr(*d, {"status", "health"}, kNone), ActionsColumn(*d),
              JoinOr(StringsAt(*d, {"status", "assignments"}), ", ", kNone)});
  }
  out << "DRONES\n";
  t.Print(out);
}

void PrintNextActions(const Json& swarm, const std::vector<const Json*>& drones,
                      const std::optional<std::vector<const Json*>>& packages, WallTime now,
                      std::ostream& out) {
  auto actions = NextActions(swarm, drones, packages, now);
  if (actions.empty()) {
    out << NothingToDo(swarm) << '\n';
    return;
  }
  out << "NEXT ACTION\n";
  for (const auto& a : actions) out << "  - " << a << '\n';
}

}  // namespace

void PrintStatus(const Json& swarm, const std::vector<const Json*>& drones,
                 const std::optional<std::vector<const Json*>>& packages, WallTime now,
                 std::ostream& out) {
  PrintHeader(swarm, out);
  out << '\n';
  PrintConditions(swarm, out);
  out << '\n';
  PrintQueue(swarm, now, out);
  PrintRelease(swarm, out);
  out << '\n';
  PrintDrones(drones, out);
  out << '\n';
  PrintNextActions(swarm, drones, packages, now, out);
}

int RunStatus(ApiTransport& api, WallTime now, std::ostream& out, std::ostream& err) {
  auto swarm = FetchSwarm(api, "");
  if (!swarm.ok()) {
    if (swarm.status().code() != StatusCode::kNotFound) return Fail(err, swarm.status());
    return Fail(err, NotFound(swarm.status().message() +
                              " (apply one first: swarmctl apply -f swarm.yaml)"));
  }
  auto drone_list = FetchDrones(api, "");
  if (!drone_list.ok()) return Fail(err, drone_list.status());
  auto drones = DronesOf(*drone_list, "");
  if (!drones.ok()) return Fail(err, drones.status());

  // Without the packages the screen is still worth showing; only the
  // blocked ones go unnamed.
  std::optional<std::vector<const Json*>> packages;
  auto package_list = FetchPackages(api);
  Status failure = package_list.status();
  if (package_list.ok()) {
    auto items = PackagesOf(*package_list, "");
    if (items.ok()) {
      packages = std::move(*items);
    } else {
      failure = items.status();
    }
  }
  if (!packages) err << "warning: cannot list packages: " << failure.message() << '\n';

  PrintStatus(*swarm, *drones, packages, now, out);
  return kExitOk;
}

}  // namespace swarm::ctl

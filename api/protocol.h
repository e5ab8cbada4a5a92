#pragma once

// What the controller and the agents say to each other beyond observed state:
// actions the controller wants run on a drone (in the heartbeat reply), the
// progress the agent reports in heartbeats, and the result it posts when an
// action ends. Also the Package, the unit of the build queue.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"
#include "base/status.h"

namespace swarm::api {

inline constexpr char kActionDeploy[] = "deploy";
inline constexpr char kActionSync[] = "sync";
inline constexpr char kActionDiscover[] = "discover";

// One thing the controller wants a drone to do. A heartbeat reply lists every
// action the controller currently wants; the agent starts each id once.
struct Action {
  std::string id;        // unique; a retry is a new id
  std::string type;      // kActionDeploy, kActionSync or kActionDiscover
  std::string version;   // deploy: the spec.deploy.version to install
  std::string revision;  // sync: the spec.portage.treeRevision to check out
  // discover: what to resolve, and the tree and deploy the queue will be
  // stamped with (the agent refuses to discover when it has another tree).
  std::vector<std::string> targets;
  std::string emerge_args;
  std::string tree_revision;
  std::string deploy_version;
  std::string queue_spec = {};  // digest of the spec.queue it resolves (the controller's check)
};

struct DiscoveredPackage {
  std::string name;                       // cat/pkg-ver
  std::vector<std::string> dependencies;  // cat/pkg-ver of in-queue dependencies
};

// Posted to /api/v1/drones/<name>/actions/<id> when an action ends.
struct ActionResult {
  std::string id;
  std::string type;
  bool succeeded = false;
  int exit_code = 0;                        // of the hook or emerge; -1 when it did not run
  std::string message;                      // one line: what happened
  std::string output_tail;                  // the last lines of the command's output
  std::string deploy_version;               // observed after the action
  std::string tree_revision;                // observed after the action
  std::vector<DiscoveredPackage> packages;  // discover: the resolved queue
};

// Phases of a Package.
inline constexpr char kPhaseNeeded[] = "Needed";
inline constexpr char kPhaseBuilding[] = "Building";
inline constexpr char kPhaseComplete[] = "Complete";
inline constexpr char kPhaseFailed[] = "Failed";
inline constexpr char kPhaseBlocked[] = "Blocked";

struct PackageFailure {
  std::string failure_class;  // Systemic, Fetch, DroneResources, Package
  std::string message;
  std::string drone;
};

// One cat/pkg-ver of the build queue.
struct Package {
  std::string name;
  std::vector<std::string> dependencies;
  std::string phase = kPhaseNeeded;
  std::string drone;
  int attempts = 0;
  std::vector<std::string> excluded_drones;
  std::optional<PackageFailure> last_failure;
  std::string reason;         // why Blocked or Failed, for a person
  std::string tree_revision;  // the queue stamp it was discovered against
  std::string deploy_version;
};

nlohmann::json ActionToJson(const Action& a);
Result<Action> ActionFromJson(const nlohmann::json& j);
nlohmann::json ActionResultToJson(const ActionResult& r);
Result<ActionResult> ActionResultFromJson(const nlohmann::json& j);

// The API form: metadata.name, spec.dependencies, status{phase, drone,
// attempts, excludedDrones, lastFailure{class,message,drone}, reason,
// treeRevision, deployVersion}.
nlohmann::json PackageToJson(const Package& p);
Result<Package> PackageFromJson(const nlohmann::json& j);

}  // namespace swarm::api

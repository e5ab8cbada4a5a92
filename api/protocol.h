#pragma once

// What the controller and the agents say to each other beyond observed state:
// actions the controller wants run on a drone (in the heartbeat reply), the
// progress the agent reports in heartbeats, and the result it posts when an
// action ends. Also the Package, the unit of the build queue.

#include <nlohmann/json_fwd.hpp>
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
  bool operator==(const Action&) const = default;
};

// The longest a build is believed to take: a year. Anything longer is a
// broken clock, and build times feed the scheduler's sums of estimates.
inline constexpr int64_t kMaxBuildMs = int64_t(366) * 24 * 3600 * 1000;
// The most cores a build is believed to keep busy (BuildResult::cpu_ms).
inline constexpr int64_t kMaxBuildCores = 4096;

struct DiscoveredPackage {
  std::string name;                       // cat/pkg-ver
  std::vector<std::string> dependencies;  // cat/pkg-ver of in-queue dependencies
  // How long the last merge of its cat/pn took on the discovering drone, from
  // its emerge.log; 0 unknown, at most kMaxBuildMs. The scheduler's estimate
  // until this swarm has built it.
  int64_t estimated_ms = 0;
  // The CPU time (user + system, all processes) of that build, when the
  // drone measured it; 0 unknown, at most estimated_ms x kMaxBuildCores.
  // With estimated_ms it says how many cores the build kept busy.
  int64_t estimated_cpu_ms = 0;
  // The cores the build had when it was measured; 0 unknown. One that kept
  // (nearly) all of them busy says only that it can use that many or more.
  int estimated_cores = 0;
  bool operator==(const DiscoveredPackage&) const = default;
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
  bool operator==(const ActionResult&) const = default;
};

// A package the controller gives a drone to build: a lease on it, fenced by
// `id`. The heartbeat reply lists every assignment the drone holds; the agent
// renews each by listing it in its heartbeats (BuildProgress) and must stop
// any build whose id the reply no longer lists. Reports under an id that is
// no longer current are refused (409) and the agent stops and drops them.
struct BuildAssignment {
  std::string id;       // fencing token: unique, never reused
  std::string package;  // cat/pkg-ver
  int attempt = 1;      // 1 for the first time the package is handed out
  // How long the last successful build of the same cat/pn took; 0 unknown.
  // The agent's health machine counts builds over twice this as slow.
  int64_t expected_ms = 0;
  // The tree revision the queue was discovered against (its stamp). The
  // agent builds only on a tree at this revision and returns the assignment
  // otherwise; empty: unchecked (a controller that predates it).
  std::string tree_revision = {};
  bool operator==(const BuildAssignment&) const = default;
};

// How a build ended, as the agent reports it.
inline constexpr char kBuildSucceeded[] = "Succeeded";
inline constexpr char kBuildFailed[] = "Failed";
inline constexpr char kBuildReturned[] = "Returned";  // not finished, given back

// Failure classes, from the agent's reading of emerge's output.
inline constexpr char kFailureSystemic[] = "Systemic";
inline constexpr char kFailureFetch[] = "Fetch";
inline constexpr char kFailureDroneResources[] = "DroneResources";
inline constexpr char kFailurePackage[] = "Package";
// Not reported by agents: the controller's name for a build lost with its
// drone (unreachable past the grace, or an agent that forgot it).
inline constexpr char kFailureCrash[] = "Crash";

// A binary package as found in PKGDIR and uploaded to the binhost.
struct BinaryPackageRef {
  std::string path;    // relative to PKGDIR, e.g. "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar"
  int64_t size = 0;    // bytes
  std::string sha256;  // lowercase hex
  // The controller's own, hashed from the bytes it received as they came:
  // what the binhost's Packages index lists as MD5 and SHA1. Never read
  // from an agent (a build result's binpkg carries none); empty in a
  // package published before the controller kept them.
  std::string md5 = {};
  std::string sha1 = {};
  bool operator==(const BinaryPackageRef&) const = default;
};

// Posted to /api/v1/drones/<name>/builds/<assignment> when a build ends.
struct BuildResult {
  std::string assignment;
  std::string package;
  std::string outcome;        // kBuildSucceeded, kBuildFailed or kBuildReturned
  std::string failure_class;  // Failed: kFailureSystemic, ...Fetch, ...DroneResources, ...Package
  std::string phase;          // Failed: the ebuild phase that died; "" when unknown
  std::string message;        // one line: why it failed, or why it was returned
  std::string log_tail;       // Failed: the last lines of the build log
  bool oom_killed = false;    // Failed: the kernel's OOM killer ended it
  int64_t duration_ms = 0;    // how long emerge ran; at most kMaxBuildMs
  // The CPU time (user and system) emerge and the processes it waited for
  // used; 0 unknown. At most duration_ms x kMaxBuildCores. Over duration_ms
  // it says how many cores the build keeps busy.
  int64_t cpu_ms = 0;
  std::optional<BinaryPackageRef> binpkg;  // Succeeded: the package uploaded before
  // Succeeded: the package's block of the drone's $PKGDIR/Packages, as text
  // (api/packages_index.h), for the binhost's index; empty when the drone had
  // none. At most kMaxIndexEntryBytes.
  std::string index_entry;
  bool operator==(const BuildResult&) const = default;
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
  bool operator==(const PackageFailure&) const = default;
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
  // While Building: the current assignment (the fencing token) and its start.
  std::string assignment;
  std::optional<WallTime> started_at;
  // Learned from an OOM kill: the package needs a drone with more memory than this.
  int64_t needs_memory_over = 0;
  std::string needs_memory_cause;  // "OOM on drone-tarn (16Gi)"
  // Drones on which it failed with class Package (two different ones block it).
  std::vector<std::string> package_failure_drones;
  // Once Complete: the published binary package, how long the build took, when.
  std::optional<BinaryPackageRef> binpkg;
  int64_t build_ms = 0;
  int64_t build_cpu_ms = 0;  // its CPU time (BuildResult::cpu_ms); 0 unknown
  // Its share of the drone's cores as it ended: the cores over the builds
  // the drone held then, this one included; 0 unknown.
  int build_cores = 0;
  std::optional<WallTime> completed_at;
  // What it is expected to take, wall and CPU time, and the cores the CPU
  // time was measured on; 0 unknown. This swarm's last measured build of its
  // cat/pn in the queue before (build_ms, build_cpu_ms, build_cores), else
  // discovery's (DiscoveredPackage::estimated_ms, estimated_cpu_ms,
  // estimated_cores).
  int64_t estimated_ms = 0;
  int64_t estimated_cpu_ms = 0;
  int estimated_cores = 0;
  // Once Complete: the drone's Packages entry for it (BuildResult::index_entry),
  // the binhost's index lists it from this; empty when the drone sent none.
  std::string index_entry;
  bool operator==(const Package&) const = default;
};

nlohmann::json BuildAssignmentToJson(const BuildAssignment& a);
Result<BuildAssignment> BuildAssignmentFromJson(const nlohmann::json& j);
nlohmann::json BuildResultToJson(const BuildResult& r);
// Checks the form too: outcome one of the three, a known failure class on
// Failed, a binpkg on Succeeded, an indexEntry of at most kMaxIndexEntryBytes
// (its content is the controller's to judge).
Result<BuildResult> BuildResultFromJson(const nlohmann::json& j);

nlohmann::json ActionToJson(const Action& a);
Result<Action> ActionFromJson(const nlohmann::json& j);
nlohmann::json ActionResultToJson(const ActionResult& r);
Result<ActionResult> ActionResultFromJson(const nlohmann::json& j);

// One package of a release: its file as published, and the entry the
// release's Packages index lists it with.
struct ReleasePackage {
  std::string name;  // cat/pkg-ver
  BinaryPackageRef binpkg;
  std::string index_entry;  // Package::index_entry; may be empty
  bool operator==(const ReleasePackage&) const = default;
};

// An immutable snapshot of the binhost (docs/operations.md, "Releases"):
// hard links of the published files under BINHOST/.releases/<name>/ with
// a Packages index of their own, served at /binhost/releases/<name>/ and,
// once promoted, at /binhost/current/.
struct Release {
  std::string name;  // "2026-12-06T0412Z-16b3ce4e": when it was cut, and the tree
  WallTime created{};
  std::string tree_revision;
  std::string deploy_version;
  // The queue it completes: a digest of its packages and their files, so one
  // queue is released once. Empty for a release cut by hand before then.
  std::string queue;
  std::vector<ReleasePackage> packages;  // sorted by name; empty in a summary
  int64_t package_count = 0;             // packages.size(), kept in a summary too
  int64_t bytes = 0;                     // the sum of the packages' sizes
  std::optional<WallTime> promoted_at;   // the last time it was promoted; never: unset
  // The TIMESTAMP /binhost/current/Packages carries while it is promoted:
  // greater than every earlier promotion's, so a client that cached a newer
  // release's index still reads this one after a rollback.
  int64_t index_timestamp = 0;
  bool operator==(const Release&) const = default;
};

// The API form: metadata{name, creationTimestamp}, status{treeRevision,
// deployVersion, queue, packageCount, bytes, promotedAt, indexTimestamp,
// promoted} and, `with_packages`, status.packages[{name, binpkg, indexEntry}].
// `promoted`: whether it is the one /binhost/current serves (not stored).
nlohmann::json ReleaseToJson(const Release& r, bool promoted, bool with_packages);
// Reads what ReleaseToJson wrote with its packages (the store's rows).
Result<Release> ReleaseFromJson(const nlohmann::json& j);
// `r` without its packages (package_count stays): what a list shows, at
// the cost of the summary alone.
Release ReleaseSummaryOf(const Release& r);

// The API form: metadata.name, spec.dependencies, status{phase, drone,
// attempts, excludedDrones, lastFailure{class,message,drone}, reason,
// treeRevision, deployVersion, assignment, startedAt, needsMemoryOver,
// needsMemoryCause, packageFailureDrones, binpkg{path,size,sha256,md5,sha1}, buildMs,
// completedAt, indexEntry}.
nlohmann::json PackageToJson(const Package& p);
Result<Package> PackageFromJson(const nlohmann::json& j);

}  // namespace swarm::api

#pragma once

// The resources of apiVersion buildswarm.io/v1alpha1 as plain data. No I/O and
// no behaviour beyond small helpers: codecs, defaults and validation live in
// their own files beside this one.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/conditions.h"
#include "base/clock.h"

namespace swarm::api {

inline constexpr char kApiVersion[] = "buildswarm.io/v1alpha1";
inline constexpr char kKindSwarm[] = "Swarm";
inline constexpr char kKindDrone[] = "Drone";
inline constexpr char kKindPackage[] = "Package";
inline constexpr char kKindDroneList[] = "DroneList";
inline constexpr char kKindEventList[] = "EventList";
inline constexpr char kKindRelease[] = "Release";
inline constexpr char kKindReleaseList[] = "ReleaseList";

// Roles a roster member may hold. A member with no roles builds.
inline constexpr char kRoleBuild[] = "build";
inline constexpr char kRoleDiscover[] = "discover";

// Well-known capacity labels; the codec checks their form, others are free-form.
inline constexpr char kLabelCores[] = "cores";
inline constexpr char kLabelMemory[] = "memory";
inline constexpr char kLabelSpeed[] = "speed";  // relative per-core speed, default 1

struct ObjectMeta {
  std::string name;
  int64_t generation = 0;       // bumped by the controller only when the spec changes
  int64_t resource_version = 0; // bumped on every write of the object
  std::optional<WallTime> creation_timestamp;
  std::map<std::string, std::string> annotations;
  bool operator==(const ObjectMeta&) const = default;
};

struct PortageSpec {
  std::string tree_revision;  // gentoo repository commit every member must have
  bool operator==(const PortageSpec&) const = default;
};

struct DeploySpec {
  std::string version;  // agent + build configuration bundle every member must run
  bool operator==(const DeploySpec&) const = default;
};

struct Requirement {
  std::string match;         // package atom (cat/pkg) this requirement applies to
  std::string memory;        // as written, e.g. "32Gi"; empty when not given
  int64_t memory_bytes = 0;  // parsed from memory; 0 when not given
  std::optional<int> cores;  // minimum cores label, when given
  bool operator==(const Requirement&) const = default;
};

struct QueueSpec {
  std::string discover_on;
  std::vector<std::string> targets;
  std::string emerge_args;
  std::vector<std::string> packages;
  std::vector<Requirement> requirements;
  bool operator==(const QueueSpec&) const = default;
};

struct DroneSpec {
  std::string name;
  std::map<std::string, std::string> labels;
  std::vector<std::string> roles;  // empty means {"build"}
  bool operator==(const DroneSpec&) const = default;
};

struct HealthPolicy {
  Duration probe_interval{15000};
  int memory_degraded_percent = 85;
  int disk_degraded_percent = 90;
  bool operator==(const HealthPolicy&) const = default;
};

// policy.scheduling: how the controller orders and places builds
// (docs/operations.md, "How builds are placed").
inline constexpr char kSchedulingCriticalPath[] = "critical-path";
inline constexpr char kSchedulingFifo[] = "fifo";

struct Policy {
  Duration heartbeat_interval{5000};
  Duration heartbeat_grace{20000};
  int ground_after_failures = 5;
  Duration grounding_cooldown{300000};
  double systemic_failure_fraction = 0.5;
  std::string scheduling = kSchedulingCriticalPath;  // kSchedulingCriticalPath or kSchedulingFifo
  // A drone's cores and memory are counted only from its roster labels: a
  // building member without a cores or memory label gets no work. Without
  // it, an unlabelled drone's report is counted as it is (labels always cap
  // a report).
  bool require_capacity_labels = false;
  HealthPolicy health;
  bool operator==(const Policy&) const = default;
};

// spec.binhost: how the binhost's releases are promoted and kept
// (docs/swarm.md, "spec.binhost"; docs/operations.md, "Releases").
inline constexpr char kPromotionAutomatic[] = "Automatic";  // promoted once cut and verified
inline constexpr char kPromotionManual[] = "Manual";        // promoted by `swarmctl promote`
inline constexpr int kDefaultKeepReleases = 5;

struct BinhostSpec {
  std::string promotion = kPromotionAutomatic;
  int keep_releases = kDefaultKeepReleases;
  bool operator==(const BinhostSpec&) const = default;
};

struct SwarmSpec {
  PortageSpec portage;
  DeploySpec deploy;
  QueueSpec queue;
  std::vector<DroneSpec> drones;
  Policy policy;
  BinhostSpec binhost;
  bool operator==(const SwarmSpec&) const = default;
};

// Condition status values, as Kubernetes spells them.
inline constexpr char kTrue[] = "True";
inline constexpr char kFalse[] = "False";
inline constexpr char kUnknown[] = "Unknown";

struct Condition {
  std::string type;    // CamelCase, e.g. "Ready"
  std::string status;  // kTrue, kFalse or kUnknown
  std::string reason;  // CamelCase, machine-readable
  std::string message; // for a person
  WallTime last_transition_time{};
  bool operator==(const Condition&) const = default;
};

// The build queue as a whole: the tree and deploy it was discovered against
// (its stamp) and how many packages are in each phase.
struct QueueSummary {
  std::string tree_revision;
  std::string deploy_version;
  std::string queue_spec;  // digest of the spec.queue fields discovery used
  int total = 0;
  int needed = 0;
  int building = 0;
  int complete = 0;
  int failed = 0;
  int blocked = 0;
  bool operator==(const QueueSummary&) const = default;
};

// Annotation that `swarmctl fresh` sets to request a fresh start; the
// controller copies its value to status.observedFreshRequest once acted on.
inline constexpr char kFreshAnnotation[] = "buildswarm.io/fresh-requested-at";

// How the queue goes, as the last scheduling pass saw it: computed when the
// Swarm is read, never stored (docs/operations.md, "Progress").
struct SwarmProgress {
  // How long until every Needed and Building package is built: the longer
  // of the remaining critical path and the work left (CPU time, Building
  // packages whole) over the capacity of the drones that may take work.
  // Unset when there is no estimate (the fifo policy, a queue not current).
  std::optional<int64_t> eta_seconds;
  int cores = 0;          // of the drones that may take work now
  double busy_cores = 0;  // of those cores, what their running builds use
  WallTime as_of{};       // the pass
  bool operator==(const SwarmProgress&) const = default;
};

// The binhost's releases as the Swarm's status names them: what
// /binhost/current serves, and the newest one cut.
struct ReleaseSummary {
  std::string promoted;  // empty until one is promoted
  std::string latest;    // empty until one is cut
  bool operator==(const ReleaseSummary&) const = default;
};

struct SwarmStatus {
  int64_t observed_generation = 0;
  std::vector<Condition> conditions;
  QueueSummary queue;
  ReleaseSummary release;
  std::string observed_fresh_request;
  std::optional<SwarmProgress> progress;  // set on reads only
  bool operator==(const SwarmStatus&) const = default;
};

struct Swarm {
  std::string api_version = kApiVersion;
  std::string kind = kKindSwarm;
  ObjectMeta metadata;
  SwarmSpec spec;
  SwarmStatus status;
  bool operator==(const Swarm&) const = default;
};

inline constexpr char kActionQueued[] = "Queued";
inline constexpr char kActionRunning[] = "Running";
// A build that succeeded on the drone and whose report (log, binary package,
// result) is on its way: it keeps its lease but no longer holds a slot. A
// failed or returned build stays Running until its result is in: what the
// result decides (grounding, an OOM's lesson, a systemic fault) comes before
// the drone's next build.
inline constexpr char kBuildUploading[] = "Uploading";

// Sent in every heartbeat for each action the agent holds but has not finished.
struct ActionProgress {
  std::string id;
  std::string type;
  std::string state;  // kActionQueued or kActionRunning
  bool operator==(const ActionProgress&) const = default;
};

// Sent in every heartbeat for each build assignment the agent holds and has
// not reported an end for: this renews the assignment's lease.
struct BuildProgress {
  std::string assignment;  // the assignment id (fencing token)
  std::string package;     // cat/pkg-ver
  std::string state;       // kActionQueued, kActionRunning or kBuildUploading
  bool operator==(const BuildProgress&) const = default;
};

// What an agent observes on its drone; sent with every heartbeat.
struct Resources {
  int cores = 0;
  int64_t memory_bytes = 0;
  double memory_used_percent = 0;
  double disk_used_percent = 0;
  double load1 = 0;
  bool operator==(const Resources&) const = default;
};

struct DroneReport {
  std::string deploy_version;  // contents of DEPLOY_MARKER; empty when missing
  std::string tree_revision;   // empty when it cannot be read
  std::string health;          // HEALTHY, DEGRADED, CRITICAL, RECOVERING
  std::string health_reason;   // why, when not HEALTHY ("memory 91% >= 85%")
  Resources resources;
  std::string agent_version;
  std::vector<ActionProgress> actions;  // actions held and not finished
  std::vector<BuildProgress> builds;    // build assignments held and not finished
  bool operator==(const DroneReport&) const = default;
};

struct DroneStatus {
  std::vector<Condition> conditions;
  std::string health;
  std::string health_reason;
  std::string deploy_version;
  std::string tree_revision;
  Resources resources;
  std::vector<std::string> assignments;  // packages the controller assigned to it
  std::vector<ActionProgress> actions;  // as last reported
  std::vector<BuildProgress> builds;    // as last reported
  // Set by `swarmctl cordon` or `drain`: takes no new work until uncordoned.
  bool cordoned = false;
  // DroneResources failures and crashes in a row (a success resets it).
  int consecutive_failures = 0;
  std::optional<WallTime> last_heartbeat_time;
  bool operator==(const DroneStatus&) const = default;
};

// A roster member together with what the controller knows of it.
struct Drone {
  std::string name;
  DroneSpec spec;  // from the Swarm's roster
  DroneStatus status;
  bool operator==(const Drone&) const = default;
};

// Kubernetes-style event: repeated identical events are folded into a count.
struct Event {
  int64_t id = 0;
  std::string object_kind;  // "Swarm" or "Drone"
  std::string object_name;
  std::string type;         // "Normal" or "Warning"
  std::string reason;       // CamelCase constant
  std::string message;
  int count = 1;
  WallTime first_timestamp{};
  WallTime last_timestamp{};
  bool operator==(const Event&) const = default;
};

// Returns the condition of that type, or nullptr.
const Condition* FindCondition(const std::vector<Condition>& conditions, const std::string& type);
// True when the condition of that type is there with status True.
bool IsConditionTrue(const std::vector<Condition>& conditions, const std::string& type);

// Sets a condition as Kubernetes' meta.SetStatusCondition does: the transition
// time moves only when status changes. Returns true when anything changed.
bool SetCondition(std::vector<Condition>& conditions, Condition c, WallTime now);

// True when the roster member holds that role (no roles means "build").
bool HasRole(const DroneSpec& d, const std::string& role);

}  // namespace swarm::api

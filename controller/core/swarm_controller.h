#pragma once

// The controller's core: the one lock, the state (core/state.h) and its one
// writer (core/writer.h), and the work queue that runs swarm-wide and
// time-driven work. Each concern owns its part and decides through the pure
// reconcilers: drones/ (heartbeats, leases, actions, per-drone reconcilers),
// queue/ (discovery, the queue's stamp, dispatch), builds/ (results,
// publication, taking builds back, logs), faults/ (grounding, systemic
// faults), binhost/ (what the binhost serves). This class takes the lock and
// sequences them per request. The HTTP layer (server/) and the process
// wiring (main.cc) sit on top; tests drive this class directly with a
// FakeClock and a Store in a temp dir.

#include <array>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "api/replies.h"
#include "api/types.h"
#include "base/clock.h"
#include "base/status.h"
#include "controller/binhost/follower.h"
#include "controller/reconcilers/releases.h"
#include "controller/builds/builds.h"
#include "controller/core/reconcile_loop.h"
#include "controller/core/workqueue.h"
#include "controller/drones/drones.h"
#include "controller/faults/faults.h"
#include "controller/metrics/swarm_metrics.h"
#include "controller/queue/queue.h"
#include "controller/state/state.h"
#include "controller/state/watch_log.h"
#include "controller/state/writer.h"
#include "controller/store/store.h"

namespace swarm::controller {

enum class ApplyOutcome { kCreated, kConfigured, kUnchanged };
const char* ApplyOutcomeName(ApplyOutcome o);  // "created", "configured", "unchanged"

struct ApplyResult {
  ApplyOutcome outcome = ApplyOutcome::kUnchanged;
  api::Swarm swarm;  // as stored after the apply
};

// What the controller wants of a drone, sent back in the heartbeat reply.
using HeartbeatReply = api::HeartbeatReply;

class Binhost;

// Where the controller keeps what builds produce.
struct BuildOutputs {
  Binhost* binhost = nullptr;  // not owned; verified uploads are published here
  std::string log_dir;         // the last build log of each package: <log_dir>/<cat>/<pf>.log
  // The binhost's Packages index is rewritten by a thread of its own, this
  // long after a change. Without it (tests), FlushBinhostIndex writes it.
  bool index_thread = false;
  Duration index_debounce{200};
};

// What `swarmctl fresh` set in motion.
struct FreshResult {
  std::string requested_at;
  std::vector<std::string> members;  // each re-syncs its tree
  int queued_packages = 0;           // discarded and discovered again
};

// A watch (docs/api.md, "Watching"): what changed after a resource version.
struct WatchRequest {
  WatchKind kind = WatchKind::kPackage;
  std::string resource_version;  // from a list's metadata or the last watch reply
  // kEvent: only the events of this object kind and name (empty: any).
  std::string object_kind;
  std::string object_name;
  // Waits at most until then for a change; a reply without items follows.
  std::chrono::steady_clock::time_point deadline;
};

struct WatchItem {
  WatchChange change = WatchChange::kModified;
  // The object as it is now (DELETED: only its name).
  std::variant<api::Swarm, api::Drone, api::Package, api::Event> object;
};

struct WatchBatch {
  std::string resource_version;  // where the next watch goes on from
  std::vector<WatchItem> items;  // one per object, in the order they last changed
};

// Thread safety: every public method is safe to call from any thread; one
// lock serializes them. What runs under it costs O(the request's own work):
// swarm-wide passes run from the work queue, coalesced, and hashing and the
// binhost index happen outside it (docs/ARCHITECTURE.md, "What a request
// costs").
class SwarmController {
 public:
  // Neither is owned; both must outlive this object. Without a binhost no
  // build can complete (every success is refused); without a log dir build
  // logs are not kept.
  SwarmController(Store* store, Clock* clock, BuildOutputs outputs = {});
  ~SwarmController();

  // Loads the stored Swarm and drones and gives every drone a fresh heartbeat
  // lease (a restart never makes a live drone Unreachable). Call once.
  Status Start();

  // Applies the operator's desired Swarm (already decoded and validated).
  // Conflict when a Swarm of another name is managed; Internal on store errors,
  // in which case nothing changed.
  // With `dry_run`, says what the apply would do and the Swarm it would
  // store (status as it is now), and changes nothing.
  Result<ApplyResult> Apply(const api::Swarm& desired, bool dry_run = false);

  // The reads. Each sets `*resource_version` (when given) to the version
  // what it returns is as of: a watch from there misses nothing.
  //
  // NotFound before the first apply.
  Result<api::Swarm> GetSwarm(std::string* resource_version = nullptr);
  // Every roster member, sorted by name; empty before the first apply.
  Result<std::vector<api::Drone>> ListDrones(std::string* resource_version = nullptr);
  // NotFound when `name` is not in the roster.
  Result<api::Drone> GetDrone(const std::string& name);
  Result<std::vector<api::Event>> ListEvents(const EventFilter& filter,
                                             std::string* resource_version = nullptr);

  // What changed of `request.kind` after its resource version: waits
  // (without this object's lock) until something did or the deadline
  // passes. Costs O(the changes since), never O(queue). Expired when the
  // version is older than the changes kept (the client lists again).
  // Without a version (or "0"), answers at once with every object as
  // ADDED, as a list would, and the version to go on from.
  Result<WatchBatch> Watch(const WatchRequest& request);
  // Ends every watch waiting, and those to come, at once (the server stops).
  void StopWatches() { watch_.Close(); }

  // Records a heartbeat from `name`, already authorized to act as it, and
  // replies with the drone's actions and builds (its next ones from the ready
  // set). Writes to the store only when something a restart must keep
  // changed. PermissionDenied (and a NotInRoster warning event) when `name`
  // is not in the roster: names outside it cannot join.
  Result<HeartbeatReply> Heartbeat(const std::string& name, const api::DroneReport& report);

  // Takes the result of an action issued to `name`. Conflict when `result.id`
  // is not the action in flight for that drone (stale, or already reported).
  Status ReportActionResult(const std::string& name, const api::ActionResult& result);

  // The build queue in queue order.
  Result<std::vector<api::Package>> ListPackages(std::string* resource_version = nullptr);

  // Builds (docs/api.md, "Builds"). Each takes the assignment id the agent
  // reports under and returns Conflict, which tells the agent to stop that
  // build, when it is not the current assignment of a package Building on
  // `name`: the lease moved on (fencing).
  //
  // The package `assignment` is building, or Conflict.
  Result<std::string> CurrentAssignment(const std::string& name, const std::string& assignment);
  // Takes a build's end. Rejected when a success cannot be published (no or
  // another upload): the package is requeued and an event says why. Returns
  // every assignment the drone holds now, the next one included.
  Result<std::vector<api::BuildAssignment>> ReportBuildResult(const std::string& name,
                                                              const api::BuildResult& result);
  // The drone's upload for `assignment` was refused (`why`): the assignment
  // ends and the package goes back to Needed.
  Status RejectUpload(const std::string& name, const std::string& assignment,
                      const std::string& why);
  // Keeps `log` (its last api::kMaxBuildLogBytes) as the package's last build log,
  // written outside the lock.
  Status StoreBuildLog(const std::string& name, const std::string& assignment,
                       const std::string& log);
  // The last build log of `package` (cat/pkg-ver); NotFound when none was kept.
  Result<std::string> BuildLog(const std::string& package);

  // Operator verbs on a drone; NotFound when it is not in the roster. Each
  // returns the drone as it is afterwards.
  Result<api::Drone> Cordon(const std::string& name);
  Result<api::Drone> Uncordon(const std::string& name);
  // Cordons, and takes back every assignment (excluding the drone from those packages).
  Result<api::Drone> Drain(const std::string& name);
  Result<api::Drone> Unground(const std::string& name);

  // Checks every published binary package on the binhost (a `full` pass
  // re-hashes them all) and requeues the packages whose file went bad.
  // Returns how many were requeued. Hashing runs outside the lock.
  Result<int> VerifyBinhost(bool full);
  // From now on the work queue runs VerifyBinhost every `interval` (a full
  // pass every `full_every`th time; never when 0).
  void CheckBinhostEvery(Duration interval, int full_every = 60);

  // Requests a fresh start (re-sync every member, rediscover the queue, clear
  // every grounding) by annotating the Swarm; the reconcilers carry it out.
  // NotFound before the first apply.
  Result<FreshResult> RequestFresh();

  // Releases (docs/operations.md, "Releases"). Each read and verb is O(the
  // releases), never O(queue); cutting, verifying and pruning run from the
  // binhost key (ReconcileReleases), their disk work outside the lock.
  struct ReleaseList {
    std::vector<api::Release> releases;  // oldest first
    std::string promoted;
    std::string resource_version;
  };
  Result<ReleaseList> ListReleases();
  struct ReleaseDetail {
    api::Release release;
    bool promoted = false;
    std::string previous;  // the release before it; empty when none
    reconcilers::ReleaseDiff changes;
  };
  // NotFound for an unknown name.
  Result<ReleaseDetail> GetRelease(const std::string& name);
  // Asks for a release of what is published now, cut by the next binhost
  // pass (started at once). FailedPrecondition without a binhost or Swarm.
  Status RequestReleaseCut();
  // Makes `name` the release /binhost/current serves: one transaction, one
  // switch. NotFound for an unknown name; FailedPrecondition without a Swarm.
  Result<api::Release> Promote(const std::string& name);
  // Promotes the release before the promoted one. FailedPrecondition when
  // none is promoted or none is before it.
  Result<api::Release> Rollback();
  // The releases' pass (key "binhost", after the check): removes release
  // directories nothing records, cuts the queue's release once it is built
  // whole (or one asked for), verifying every file, refusing it (its
  // packages built again) when one fails; promotes it when automatic;
  // prunes; sets the Swarm's Released condition.
  Status ReconcileReleases();

  // Writes the binhost's Packages index now when a change waits (tests,
  // shutdown); otherwise its own thread does, shortly after each change.
  Status FlushBinhostIndex();

  // Runs every reconciler once at the clock's current time. Returns how long
  // until it should run again at the latest.
  Duration ReconcileOnce();

  // The work queue: keys "swarm" (swarm-wide pass), "drone/<name>" (a
  // drone's reconcilers) and "binhost" (the periodic check), each
  // reconciled by one worker at a time, per-key backoff on error, a periodic
  // resync of every key. Requests add the keys they affect, some for later
  // (a lease's expiry, a coalesced swarm pass); time comes from the Clock.
  //
  // Runs it on `workers` threads until Stop(), waiting on the real clock:
  // the process's loop. The destructor stops it and waits for it to return.
  void RunLoop(int workers = 2);
  // What GET /metrics exports (controller/metrics/); the API server adds its
  // request timings. Thread-safe, and needs no lock of this object.
  metrics::SwarmMetrics& metrics() { return metrics_; }
  // The timer seam: runs, on the calling thread, every key due by the Clock
  // now (a FakeClock in tests: advance it, then call this). Returns how many
  // keys ran. Not while RunLoop runs.
  int RunDue();
  // When RunDue has work next by the Clock (a key scheduled for later, the
  // periodic resync); nullopt when nothing is scheduled.
  std::optional<SteadyTime> NextDueAt() const;
  void Stop();

 private:
  // Puts the promotion of `name` into `c` (`reason`: ReleasePromoted or
  // ReleaseRolledBack; `how` ends the event's message).
  void PromoteInto(Changes& c, const api::Release& release, const std::string& reason,
                   const std::string& how) const;
  Result<api::Drone> DroneVerbLocked(const std::string& name,
                                     const std::function<Status(Changes&)>& change);
  std::vector<api::Drone> DronesLocked() const;
  // The Swarm as reads give it: with status.progress from the last pass.
  api::Swarm SwarmLocked() const;
  // A watch without a resource version: every object as ADDED (the last
  // events), at the current version. Takes the lock.
  Result<WatchBatch> WatchStart(const WatchRequest& request);
  // The object a watch reports for `name`, as it is now.
  WatchItem WatchedLocked(WatchKind kind, const std::string& name, WatchChange change) const;
  api::Drone DroneLocked(const api::DroneSpec& spec) const;
  Status ReconcileLocked(Duration* next);
  // Swarm-wide: the sweep of orphaned builds, the queue's reconciler,
  // dispatch to every drone, the Swarm's status. O(queue + roster): run
  // from the work queue, coalesced (ScheduleSwarmPassLocked), not per request.
  Status ReconcileSwarmLocked(Duration* next);
  // Swarm-wide work after this request, coalesced with others nearby.
  void ScheduleSwarmPassLocked();
  // Looks at the drone again when its lease would lapse.
  void WatchLeaseLocked(const std::string& name);
  ReconcileOutcome ReconcileKey(const std::string& key);
  std::vector<std::string> KeysLocked() const;
  void EnqueueLocked(const std::vector<std::string>& keys);

  Store* const store_;
  Clock* const clock_;
  metrics::Registry registry_;
  metrics::SwarmMetrics metrics_{&registry_, clock_};
  WatchLog watch_;  // told of every commit; waited on without mu_

  mutable std::mutex mu_;
  SwarmState state_;
  StateWriter writer_{store_, clock_, &state_};
  std::unique_ptr<BinhostFollower> binhost_;  // null without a binhost
  Faults faults_{&state_, clock_};
  Builds builds_;
  Drones drones_{&state_, &writer_, clock_, &faults_, &builds_};
  Queue queue_{&state_, &writer_, clock_, &drones_, &faults_, &builds_};
  Duration swarm_pass_cost_{0};  // how long the last swarm pass held the lock

  // The binhost check (key "binhost"); outside the lock: its own key runs
  // on one worker at a time.
  Duration binhost_interval_{0};
  int binhost_full_every_ = 0;
  int binhost_pass_ = 0;
  // The work-queue key of the releases' pass alone (key "binhost" runs it
  // after each check too).
  static constexpr char kReleasesKey[] = "releases";
  std::mutex releases_mu_;  // one ReconcileReleases at a time; taken before mu_
  bool release_cut_requested_ = false;  // RequestReleaseCut; guarded by mu_
  // "name sha256" of an earlier release's packages whose files failed a cut:
  // left out of later releases. Guarded by mu_.
  std::set<std::string> release_excluded_;

  WorkQueue work_;
  ReconcileLoop loop_;
  std::condition_variable loop_done_;  // RunLoop returned
  bool loop_running_ = false;
};

}  // namespace swarm::controller

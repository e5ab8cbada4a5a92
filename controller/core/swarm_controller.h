#pragma once

// The controller's core: the desired Swarm, the drones' observed state, and
// the reconcilers that compare them. The HTTP layer (apiserver) and the
// process wiring (main.cc) sit on top; tests drive this class directly with a
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
#include <vector>

#include "api/replies.h"
#include "api/types.h"
#include "base/clock.h"
#include "base/status.h"
#include "controller/server/auth.h"
#include "controller/binhost/index_writer.h"
#include "controller/queue/package_queue.h"
#include "controller/core/reconcile_loop.h"
#include "controller/reconcilers/action_state.h"
#include "controller/reconcilers/grounding.h"
#include "controller/reconcilers/liveness.h"
#include "controller/queue/scheduler.h"
#include "controller/store/store.h"
#include "controller/core/workqueue.h"

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

  // Loads the stored Swarm and drones and gives every drone a fresh heartbeat
  // lease (a restart never makes a live drone Unreachable). Call once.
  Status Start();

  // Applies the operator's desired Swarm (already decoded and validated).
  // Conflict when a Swarm of another name is managed; Internal on store errors,
  // in which case nothing changed.
  Result<ApplyResult> Apply(const api::Swarm& desired);

  // NotFound before the first apply.
  Result<api::Swarm> GetSwarm();
  // Every roster member, sorted by name; empty before the first apply.
  Result<std::vector<api::Drone>> ListDrones();
  // NotFound when `name` is not in the roster.
  Result<api::Drone> GetDrone(const std::string& name);
  Result<std::vector<api::Event>> ListEvents(const EventFilter& filter);

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
  Result<std::vector<api::Package>> ListPackages();

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
  // Keeps `log` (its last kMaxBuildLogBytes) as the package's last build log.
  Status StoreBuildLog(const std::string& name, const std::string& assignment,
                       const std::string& log);
  // The last build log of `package` (cat/pkg-ver); NotFound when none was kept.
  Result<std::string> BuildLog(const std::string& package);
  static constexpr size_t kMaxBuildLogBytes = 1 << 20;

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
  // Calls VerifyBinhost every `interval` (a full pass every `full_every`th
  // time) until Stop(). The process's loop; tests call VerifyBinhost.
  void RunBinhostChecks(Duration interval, int full_every = 60);

  // Requests a fresh start (re-sync every member, rediscover the queue, clear
  // every grounding) by annotating the Swarm; the reconcilers carry it out.
  // NotFound before the first apply.
  Result<FreshResult> RequestFresh();

  // Writes the binhost's Packages index now when a change waits (tests,
  // shutdown); otherwise its own thread does, shortly after each change.
  Status FlushBinhostIndex();

  // Runs every reconciler once at the clock's current time. Returns how long
  // until it should run again at the latest.
  Duration ReconcileOnce();

  // Runs the reconcilers on a work queue until Stop(): keys "swarm" and
  // "drone/<name>", each reconciled by one worker at a time, per-key backoff
  // on error, a periodic resync of every key. Apply, heartbeats and results
  // enqueue the keys they affect. Waits on the real clock: the process's
  // loop; tests call ReconcileOnce instead.
  void RunLoop(int workers = 2);
  void Stop();

 private:
  // The controller's memory of the actions of one drone.
  struct DroneActions {
    reconcilers::ActionState deploy;
    reconcilers::ActionState sync;
    reconcilers::ActionState discover;
    // In the order the agent is asked to run them.
    std::array<reconcilers::ActionState*, 3> All() { return {&deploy, &sync, &discover}; }
    std::array<const reconcilers::ActionState*, 3> All() const {
      return {&deploy, &sync, &discover};
    }
  };

  // Writes of one decision: packages, drone statuses, the Swarm, events, in
  // one transaction; memory follows once committed.
  struct Changes {
    std::map<std::string, api::Package> packages;      // by name
    std::map<std::string, api::DroneStatus> drones;    // by name
    std::set<std::string> removed_drones;              // deleted from the store
    std::optional<api::Swarm> swarm;                   // resourceVersion bumped on commit
    std::vector<api::Event> events;
    api::DroneStatus& Drone(const std::map<std::string, api::DroneStatus>& current,
                            const std::string& name);
    api::Package& Package(const PackageQueue& current, size_t index);
    void Event(const std::string& kind, const std::string& name, const std::string& type,
               const std::string& reason, std::string message);
  };
  Status CommitLocked(Changes changes);
  // Hands out Needed packages to eligible drones (the scheduler), and moves
  // packages in and out of capacity-Blocked. Nothing new while the queue is
  // not current or a systemic fault stands.
  Status DispatchLocked();
  std::vector<api::BuildAssignment> AssignmentsForLocked(const std::string& name) const;
  // Index of the package Building on `name` under `assignment`, or nullopt.
  std::optional<size_t> FindAssignmentLocked(const std::string& name,
                                             const std::string& assignment) const;
  // Renews the drone's build leases from its report; a build left out of
  // kActionLostAfterBeats reports in a row is lost (a crash).
  Status RenewBuildLeasesLocked(const std::string& name, const api::DroneReport& report);
  // Builds `name` holds now: assigned to it, or still listed in `status`.
  int BuildsHeldLocked(const std::string& name, const api::DroneStatus& status) const;
  // While the queue's stamp (tree, deploy) differs from the spec, nothing
  // built from it is wanted: every assignment is taken back, nobody blamed,
  // so no member is synced or deployed under a build.
  Status WithdrawStaleAssignmentsLocked();
  // Level-triggered repair: a package Building on a drone that is not in the
  // roster (or under no assignment id) goes back to Needed, whatever was or
  // was not written before (a crash between two decisions).
  Status ReclaimOrphanedBuildsLocked();
  // Takes back every assignment of `name`: back to Needed, attempts kept;
  // `exclude` adds the drone to excludedDrones.
  void ReclaimAssignmentsLocked(const std::string& name, const std::string& why, bool exclude,
                                Changes& changes);
  // Raises SystemicFault (into `changes`); unless it persists after a recent
  // remediation, every member is asked to re-sync, and the queue is discovered
  // again (ReconcileSwarmLocked arms the remediation from the stored fault).
  // False when a fault stands already. Call SystemicFaultRaisedLocked once committed.
  bool RaiseSystemicFaultLocked(const std::string& reason, const std::string& evidence,
                                Changes& changes);
  void SystemicFaultRaisedLocked();
  // A remediation's rediscovery is in: clears the fault and ungrounds
  // everyone (into `changes`); false when none is pending. Call
  // RemediationFinishedLocked once committed.
  bool FinishRemediationLocked(Changes& changes);
  void RemediationFinishedLocked();
  // Grounded=False (CauseGone, `message`) for every member grounded or on
  // probation, as `changes` leave it; their failure counts reset.
  void UngroundEveryoneLocked(const std::string& message, Changes& changes);
  // A failure that is the drone's own: counts it, and grounds the drone at
  // groundAfterFailures (or at once on probation).
  void CountDroneFailureLocked(const std::string& name, const std::string& package,
                               const std::string& why, Changes& changes);
  // Discards the staged uploads of assignments in `before` that `after` no
  // longer holds (a queue replaced, a fresh start).
  void DiscardEndedUploadsLocked(const std::vector<api::Package>& before,
                                 const std::vector<api::Package>& after);
  // The binhost index lists exactly the published packages from now on
  // (a restart, a new queue). Each package's change is handed over by
  // CommitLocked.
  void ResetBinhostIndexLocked();
  bool SystemicFaultLocked() const;
  int64_t DroneMemoryLocked(const std::string& name) const;
  Result<api::Drone> DroneVerbLocked(const std::string& name, const std::function<Status(Changes&)>& change);
  std::vector<api::Drone> DronesLocked() const;
  api::Drone DroneLocked(const api::DroneSpec& spec) const;
  const api::DroneSpec* RosterMemberLocked(const std::string& name) const;
  Status RecordEventLocked(const std::string& kind, const std::string& name,
                           const std::string& type, const std::string& reason,
                           const std::string& message);
  Status ReconcileLocked(Duration* next);
  // Per-drone reconcilers (liveness, deploy, tree sync); issues actions.
  Status ReconcileDroneLocked(const std::string& name, Duration* next);
  // Swarm-wide reconcilers: the queue's (below), the sweep of orphaned builds,
  // dispatch to every drone, the Swarm's status. O(queue + roster): run from
  // the work queue, coalesced (ScheduleSwarmPassLocked), not per request.
  Status ReconcileSwarmLocked(Duration* next);
  // The queue's part alone, cheap unless the queue changes: a fresh start, a
  // stale queue's builds withdrawn, discovery issued, the queue built from
  // spec.queue.packages; sets dispatch_open_ and, when asked, the
  // QueueCurrent condition.
  Status ReconcileQueueLocked(Duration* next, api::Condition* queue_current = nullptr);
  // Hands the drone its next builds from the ready set, within its free
  // slots: what a heartbeat or a completion does instead of a swarm pass.
  Status DispatchToDroneLocked(const std::string& name);
  // The scheduler's capacity view of a roster member that builds.
  DroneCapacity CapacityLocked(const api::DroneSpec& member) const;
  // Makes package `index` Building on `drone` under a new assignment id.
  void AssignLocked(size_t index, const std::string& drone, bool probation, Changes& changes);
  // Swarm-wide work after this request, coalesced with others nearby.
  void ScheduleSwarmPassLocked();
  // Looks at the drone again when its lease would lapse.
  void WatchLeaseLocked(const std::string& name);
  Status HandleFreshLocked();
  // Empty when a successful discovery result may become the queue, else why not.
  std::string CheckDiscoveryResult(const api::ActionResult& result, const api::Action& action,
                                   const std::string& drone) const;
  Status HandleDiscoveryLocked(const api::ActionResult& result, const api::Action& action);
  // Makes committed `next` the cached Swarm. Within a generation only its
  // metadata and status are replaced, so references to the spec stay valid.
  void AdoptSwarmLocked(api::Swarm next);
  // Stores `next` inside a transaction: its status and metadata, and its
  // spec only when the generation moved (an apply).
  Status PutSwarmLocked(const api::Swarm& next);
  // Writes `next` with resourceVersion + 1, together with `also` in one
  // transaction, and makes it the cached Swarm once committed.
  Status CommitSwarmLocked(api::Swarm next, const std::function<Status()>& also = {});
  // Replaces the queue and its stamp (tree, deploy, queue spec) in the store, then in memory.
  Status SetQueueLocked(std::vector<api::Package> packages, const api::QueueSummary& stamp);
  // After `swarmctl fresh`, until the queue is discovered again.
  bool FreshPendingLocked() const;
  api::Action NewActionLocked(const std::string& type);
  std::vector<api::Action> ActionsForLocked(const std::string& name) const;
  // Fails actions the agent has stopped listing in its heartbeats.
  void ForgetLostActionsLocked(const std::string& name, const api::DroneReport& report);

  Store* const store_;
  Clock* const clock_;
  const BuildOutputs outputs_;

  mutable std::mutex mu_;
  std::optional<api::Swarm> swarm_;                   // cache of the stored Swarm
  std::map<std::string, api::DroneStatus> statuses_;  // cache of stored drone statuses
  reconcilers::HeartbeatLeases leases_;
  std::map<std::string, DroneActions> actions_;  // by drone name
  PackageQueue packages_;                        // cache of the stored queue, indexed
  // name -> index in swarm_->spec.drones, rebuilt when the generation moves.
  mutable std::unordered_map<std::string, size_t> roster_;
  mutable int64_t roster_generation_ = -1;
  Duration swarm_pass_cost_{0};  // how long the last swarm pass held the lock
  bool dispatch_open_ = false;  // queue current, no systemic fault: new builds may start
  uint64_t next_action_ = 0;                     // with a random prefix, makes action ids
  std::string action_prefix_;
  uint64_t next_assignment_ = 0;                 // likewise for assignment ids
  std::map<std::string, int> unheld_builds_;     // assignment id -> reports in a row without it
  reconcilers::FailingAlikeWindow failing_alike_;
  bool remediation_pending_ = false;             // a systemic fault's re-sync and rediscovery
  std::optional<WallTime> last_remediation_;     // when the last one finished
  std::unique_ptr<BinhostIndexWriter> index_writer_;  // null without a binhost
  std::condition_variable stop_cv_;              // wakes RunBinhostChecks on Stop()

  ReconcileOutcome ReconcileKey(const std::string& key);
  std::vector<std::string> KeysLocked() const;
  // Adds keys to the work queue while RunLoop runs; nothing otherwise.
  void EnqueueLocked(const std::vector<std::string>& keys);

  WorkQueue* queue_ = nullptr;     // set while RunLoop runs
  ReconcileLoop* loop_ = nullptr;  // set while RunLoop runs
  bool stop_ = false;
};

}  // namespace swarm::controller

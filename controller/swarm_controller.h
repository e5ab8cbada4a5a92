#pragma once

// The controller's core: the desired Swarm, the drones' observed state, and
// the reconcilers that compare them. The HTTP layer (apiserver) and the
// process wiring (main.cc) sit on top; tests drive this class directly with a
// FakeClock and a Store in a temp dir.

#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"
#include "base/clock.h"
#include "base/status.h"
#include "controller/auth.h"
#include "controller/reconcile_loop.h"
#include "controller/reconcilers/action_state.h"
#include "controller/reconcilers/liveness.h"
#include "controller/store.h"
#include "controller/workqueue.h"

namespace swarm::controller {

enum class ApplyOutcome { kCreated, kConfigured, kUnchanged };
const char* ApplyOutcomeName(ApplyOutcome o);  // "created", "configured", "unchanged"

struct ApplyResult {
  ApplyOutcome outcome = ApplyOutcome::kUnchanged;
  api::Swarm swarm;  // as stored after the apply
};

// What the controller wants of a drone, sent back in the heartbeat reply.
struct HeartbeatReply {
  Duration heartbeat_interval{5000};
  api::HealthPolicy health;
  std::vector<api::Action> actions;  // every action the controller wants of the drone now
};

// What `swarmctl fresh` set in motion.
struct FreshResult {
  std::string requested_at;
  std::vector<std::string> members;  // each re-syncs its tree
  int queued_packages = 0;           // discarded and discovered again
};

// Thread safety: every public method is safe to call from any thread; one
// lock serializes them (the API's load is a few drones heartbeating).
class SwarmController {
 public:
  // Neither is owned; both must outlive this object.
  SwarmController(Store* store, Clock* clock);

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

  // Records a heartbeat from `name`, already authorized to act as it.
  // PermissionDenied (and a NotInRoster warning event) when `name` is not in
  // the roster: names outside it cannot join.
  Result<HeartbeatReply> Heartbeat(const std::string& name, const api::DroneReport& report);

  // Takes the result of an action issued to `name`. Conflict when `result.id`
  // is not the action in flight for that drone (stale, or already reported).
  Status ReportActionResult(const std::string& name, const api::ActionResult& result);

  // The build queue in queue order.
  Result<std::vector<api::Package>> ListPackages();

  // Requests a fresh start (re-sync every member, rediscover the queue, clear
  // every grounding) by annotating the Swarm; the reconcilers carry it out.
  // NotFound before the first apply.
  Result<FreshResult> RequestFresh();

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

  std::vector<api::Drone> DronesLocked() const;
  const api::DroneSpec* RosterMemberLocked(const std::string& name) const;
  Status RecordEventLocked(const std::string& kind, const std::string& name,
                           const std::string& type, const std::string& reason,
                           const std::string& message);
  Status ReconcileLocked(Duration* next);
  // Per-drone reconcilers (liveness, deploy, tree sync); issues actions.
  Status ReconcileDroneLocked(const std::string& name, Duration* next);
  // Swarm-wide reconcilers (fresh, queue, status); issues discover actions.
  Status ReconcileSwarmLocked(Duration* next);
  Status HandleFreshLocked();
  // Empty when a successful discovery result may become the queue, else why not.
  std::string CheckDiscoveryResult(const api::ActionResult& result, const api::Action& action,
                                   const std::string& drone) const;
  Status HandleDiscoveryLocked(const api::ActionResult& result, const api::Action& action);
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

  mutable std::mutex mu_;
  std::optional<api::Swarm> swarm_;                   // cache of the stored Swarm
  std::map<std::string, api::DroneStatus> statuses_;  // cache of stored drone statuses
  reconcilers::HeartbeatLeases leases_;
  std::map<std::string, DroneActions> actions_;  // by drone name
  std::vector<api::Package> packages_;           // cache of the stored queue
  uint64_t next_action_ = 0;                     // with a random prefix, makes action ids
  std::string action_prefix_;

  ReconcileOutcome ReconcileKey(const std::string& key);
  std::vector<std::string> KeysLocked() const;
  // Adds keys to the work queue while RunLoop runs; nothing otherwise.
  void EnqueueLocked(const std::vector<std::string>& keys);

  WorkQueue* queue_ = nullptr;     // set while RunLoop runs
  ReconcileLoop* loop_ = nullptr;  // set while RunLoop runs
  bool stop_ = false;
};

}  // namespace swarm::controller

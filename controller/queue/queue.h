#pragma once

// The build queue: what to build (discovery on one member, or
// spec.queue.packages), the stamp it was computed against (tree, deploy,
// queue spec), a fresh start's new queue, and dispatch (a drone's next
// builds from the ready set; the scheduler's swarm-wide pass, which also
// moves packages in and out of capacity-Blocked). Decisions come from
// reconcilers/queue and the scheduler and are committed through the one
// writer. A stale queue's builds are withdrawn (Builds::WithdrawStale) before
// anything else.
// Thread safety: none; called under the controller's lock.

#include <map>
#include <set>
#include <string>

#include "api/protocol.h"
#include "base/clock.h"
#include "base/status.h"
#include "controller/builds/builds.h"
#include "controller/state/changes.h"
#include "controller/state/state.h"
#include "controller/state/writer.h"
#include "controller/drones/drones.h"
#include "controller/faults/faults.h"
#include "controller/queue/scheduler.h"

namespace swarm::controller {

class Queue {
 public:
  Queue(const SwarmState* state, StateWriter* writer, Clock* clock, Drones* drones,
        Faults* faults, Builds* builds)
      : state_(*state),
        writer_(*writer),
        clock_(clock),
        drones_(*drones),
        faults_(*faults),
        builds_(*builds) {}

  // `id_prefix` makes assignment ids unique across runs.
  void Start(std::string id_prefix) { id_prefix_ = std::move(id_prefix); }

  // A fresh start, a stale queue's builds withdrawn, discovery issued, the
  // queue built from spec.queue.packages; decides whether new builds may
  // start (open()) and, when asked, the QueueCurrent condition. Cheap unless
  // the queue changes.
  Status Reconcile(Duration* next, api::Condition* queue_current = nullptr);
  // New builds may start: the queue is current and no systemic fault stands.
  bool open() const { return open_; }

  // Empty when a successful discovery result of `drone` may become the
  // queue, else why not.
  std::string CheckDiscovery(const api::ActionResult& result, const api::Action& action,
                             const std::string& drone) const;
  // A discovery's packages become the queue (or are discarded when the spec
  // moved on); a remediation waiting for it is finished.
  Status TakeDiscovery(const api::ActionResult& result, const api::Action& action);

  // The scheduler's pass over every drone and package: assignments, Blocked
  // and unblocked packages, the ready set's priorities. O(queue + roster).
  Status Dispatch();
  // How the queue goes, as the last Dispatch saw it.
  const api::SwarmProgress& progress() const { return progress_; }
  // Hands `name` its next builds from the head of the ready set, within its
  // free slots: what a heartbeat or a completion does instead of a pass.
  Status DispatchTo(const std::string& name);
  // A build on `name` ended; `oom_killed`: by the OOM killer. A drone that
  // OOM-killed a build is full: it takes nothing more until another of its
  // builds ends (or it runs none).
  void BuildEnded(const std::string& name, bool oom_killed);

 private:
  // After `swarmctl fresh`, until the queue is discovered again.
  bool FreshPending() const;
  Status HandleFresh();
  // The queue becomes `packages`, stamped `stamp`, in `changes`.
  void SetQueue(std::vector<api::Package> packages, const api::QueueSummary& stamp,
                Changes& changes);
  // The scheduler's view of a roster member that builds.
  DroneCapacity Capacity(const api::DroneSpec& member) const;
  // How long package `i` is expected to take (scheduler's EstimateOf).
  Duration Estimate(size_t i) const;
  // Whether package `i` was timed (scheduler's Timed).
  bool Timed(size_t i) const;
  // Makes package `index` Building on `drone` under a new assignment id.
  void Assign(size_t index, const std::string& drone, bool probation, Changes& changes);

  const SwarmState& state_;
  StateWriter& writer_;
  Clock* const clock_;
  Drones& drones_;
  Faults& faults_;
  Builds& builds_;
  bool open_ = false;
  // Drones the last pass held for a whole-drone build, and when that build
  // would start there: DispatchTo gives them only what ends before.
  struct Hold {
    WallTime until;       // when that build would start there
    std::string package;  // the build
  };
  std::map<std::string, Hold> held_;
  double fastest_per_core_ = 0;  // of the last pass
  double fastest_ = 0;           // of the last pass
  std::set<std::string> memory_full_;  // drones that OOM-killed a build since their last end
  // The longest remaining critical path at the last pass.
  Duration longest_{0};
  api::SwarmProgress progress_;  // of the last pass
  std::string id_prefix_;
  uint64_t next_assignment_ = 0;
};

}  // namespace swarm::controller

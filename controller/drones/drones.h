#pragma once

// Drones: each roster member's life as the controller sees it. Heartbeat
// leases (in memory: a restart gives every drone a fresh grace), what a
// heartbeat reports, the actions asked of each drone (deploy, sync,
// discover) with their backoff, and the per-drone reconcilers (liveness,
// deploy, tree sync; grounding's cooldown through Faults). Decisions come
// from the pure functions in reconcilers/ and are committed through the one
// writer; a drone that stops heartbeating loses its builds (Builds::Reclaim).
// Thread safety: none; called under the controller's lock.

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "base/clock.h"
#include "base/status.h"
#include "controller/builds/builds.h"
#include "controller/state/changes.h"
#include "controller/state/state.h"
#include "controller/state/writer.h"
#include "controller/faults/faults.h"
#include "controller/reconcilers/action_state.h"
#include "controller/reconcilers/liveness.h"

namespace swarm::controller {

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

class Drones {
 public:
  Drones(const SwarmState* state, StateWriter* writer, Clock* clock, Faults* faults,
         Builds* builds)
      : state_(*state), writer_(*writer), clock_(clock), faults_(*faults), builds_(*builds) {}

  // After the state is loaded: every stored drone gets a fresh lease, and a
  // sync in flight at the stop (maybe a forced re-sync) is asked for again.
  // `id_prefix` makes action ids unique across runs.
  void Start(std::string id_prefix);

  // --- Heartbeats and action results ---
  // Records `report` from roster member `name` (its cores and memory capped
  // by its labels: reconcilers/capacity.h) (written only when something a
  // restart must keep changed; `changed` says so), renews its lease, and
  // fails the actions it stopped listing.
  Status Heartbeat(const std::string& name, const api::DroneReport& report, bool* changed);
  // The action `id` in flight on `name`, or null (stale, already reported).
  const api::Action* InFlight(const std::string& name, const std::string& id);
  // Takes the result of `action` (`succeeded` and `error` as judged, which
  // may differ from what the agent said): what the drone observed after it,
  // a grounding whose cause may be gone, the event; the action leaves flight
  // once committed.
  Status TakeActionResult(const std::string& name, const api::Action& action,
                          const api::ActionResult& result, bool succeeded,
                          const std::string& error);
  // Every action in flight on `name`, in the order to run them.
  std::vector<api::Action> ActionsFor(const std::string& name) const;

  // --- Reconcile ---
  // Liveness, deploy, tree sync and grounding's cooldown of one member;
  // issues actions. `next` is lowered to when to look again.
  Status Reconcile(const std::string& name, Duration* next);

  // --- What other concerns ask of it ---
  DroneActions& Actions(const std::string& name) { return actions_[name]; }
  api::Action NewAction(const std::string& type);
  // Members `roster` adds are recorded as never joined, those it drops removed
  // (their builds taken back), into `changes`; returns the removed.
  std::set<std::string> RosterChanged(const std::set<std::string>& roster,
                                      const std::string& swarm_name, Changes& changes);
  // Once the apply is committed: the removed are forgotten; a changed deploy
  // or tree deserves an attempt now, not after the old one's backoff, and a
  // discovery against the old spec is no longer wanted.
  void SpecApplied(const std::set<std::string>& removed, bool deploy_changed, bool tree_changed);
  // Every member is asked to re-sync (into `changes`): `swarmctl fresh`.
  void RequestResyncAll(const std::string& why, Changes& changes);
  // Once a fresh start is committed: backoffs reset, syncs and discoveries
  // in flight no longer count.
  void FreshStarted();
  // Once a systemic fault is committed: syncs and a discovery issued before
  // it do not count for its remediation.
  void FaultRaised();

 private:
  void ForgetLostActions(const std::string& name, const api::DroneReport& report);

  const SwarmState& state_;
  StateWriter& writer_;
  Clock* const clock_;
  Faults& faults_;
  Builds& builds_;
  reconcilers::HeartbeatLeases leases_;
  std::map<std::string, DroneActions> actions_;  // by drone name
  std::string id_prefix_;
  uint64_t next_action_ = 0;
};

}  // namespace swarm::controller

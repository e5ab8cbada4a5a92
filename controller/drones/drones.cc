#include "controller/drones/drones.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/codec.h"
#include "api/events.h"
#include "api/quantity.h"
#include "controller/reconcilers/capacity.h"
#include "controller/reconcilers/deploy.h"
#include "controller/reconcilers/grounding.h"
#include "controller/reconcilers/queue.h"
#include "controller/reconcilers/tree_sync.h"

namespace swarm::controller {
namespace {

// What a restart must keep of a status: all but load, liveness and the
// progress lists every heartbeat refreshes. Derived, so that a field added
// to DroneStatus is kept unless it is named here.
api::DroneStatus DurablePart(api::DroneStatus s) {
  s.resources = {};
  s.assignments.clear();
  s.actions.clear();
  s.builds.clear();
  s.last_heartbeat_time.reset();
  return s;
}

}  // namespace

void Drones::Start(std::string id_prefix) {
  id_prefix_ = std::move(id_prefix);
  const SteadyTime now = clock_->SteadyNow();
  for (const auto& [name, status] : state_.statuses) {
    leases_.Renew(name, now);
    // A sync in flight when the controller stopped may have been a forced
    // re-sync, whose memory is gone: it is asked for again.
    const api::Condition* synced =
        api::FindCondition(status.conditions, api::condition::kTreeSynced);
    if (synced != nullptr && synced->reason == "Syncing") actions_[name].sync.forced = true;
  }
}

Status Drones::Heartbeat(const std::string& name, const api::DroneReport& report,
                         bool* changed) {
  const WallTime now = clock_->Now();
  const api::DroneStatus& current = state_.Status(name);
  api::DroneStatus status = current;
  const api::Condition* before = api::FindCondition(status.conditions, api::condition::kReady);
  const bool was_ready = before != nullptr && before->status == api::kTrue;
  const std::string before_reason = before ? before->reason : api::reason::kNeverJoined;
  status.deploy_version = report.deploy_version;
  status.tree_revision = report.tree_revision;
  status.health = report.health;
  status.health_reason = report.health_reason;
  status.actions = report.actions;
  status.builds = report.builds;
  status.last_heartbeat_time = now;
  // What it reports of its cores and memory counts only up to its labels.
  // The caller let only a roster member in.
  reconcilers::CapacityDecision capacity = reconcilers::ReconcileCapacity(
      *state_.RosterMember(name), report.resources,
      state_.swarm->spec.policy.require_capacity_labels,
      api::FindCondition(status.conditions, api::condition::kCapacityWithinLabels));
  status.resources = capacity.resources;
  api::SetCondition(status.conditions, capacity.condition, now);
  const Duration interval = state_.swarm->spec.policy.heartbeat_interval;
  api::SetCondition(status.conditions,
                    {api::condition::kReady,
                     api::kTrue,
                     api::reason::kHeartbeatReceived,
                     "agent heartbeats arrive (interval " + api::FormatDuration(interval) + ")",
                     {}},
                    now);

  // Liveness and load live in memory: a beat that changes nothing a restart
  // must keep costs no write (a restart gives every drone a fresh grace).
  *changed = !was_ready || DurablePart(current) != DurablePart(status);
  Changes changes;
  if (!was_ready) {
    changes.Event(api::kKindDrone, name, api::events::kNormal, api::events::kDroneReady,
                  before_reason == api::reason::kNeverJoined
                      ? "drone " + name + " joined swarm/" + state_.swarm->metadata.name
                      : "drone " + name + " is heartbeating again");
  }
  if (!capacity.event_reason.empty()) {
    changes.Event(api::kKindDrone, name, api::events::kWarning, capacity.event_reason,
                  capacity.event_message);
    spdlog::warn("{}", capacity.event_message);
  }
  (*changed ? changes.drones : changes.observed)[name] = std::move(status);
  if (Status st = writer_.Commit(std::move(changes)); !st.ok()) return st;
  leases_.Renew(name, clock_->SteadyNow());
  if (!was_ready) spdlog::info("drone {} is Ready", name);
  ForgetLostActions(name, report);
  return Status::Ok();
}

void Drones::ForgetLostActions(const std::string& name, const api::DroneReport& report) {
  DroneActions& acts = actions_[name];
  for (auto* state : acts.All()) {
    if (!state->in_flight) continue;
    const std::string id = state->in_flight->id;
    const bool held = std::any_of(report.actions.begin(), report.actions.end(),
                                  [&](const api::ActionProgress& p) { return p.id == id; });
    state->unheld_beats = held ? 0 : state->unheld_beats + 1;
    if (state->unheld_beats < reconcilers::kActionLostAfterBeats) continue;
    // Counted as a failure, so it is issued again (a new id) after the backoff.
    const std::string why =
        "the agent no longer holds action " + id + " (it restarted, or the result was refused)";
    spdlog::warn("drone {}: {}", name, why);
    reconcilers::RecordActionResult(*state, id, false, why, clock_->SteadyNow(), clock_->Now());
  }
}

const api::Action* Drones::InFlight(const std::string& name, const std::string& id) {
  auto it = actions_.find(name);
  if (it == actions_.end()) return nullptr;
  for (auto* s : it->second.All()) {
    if (s->in_flight && s->in_flight->id == id) return &*s->in_flight;
  }
  return nullptr;
}

Status Drones::TakeActionResult(const std::string& name, const api::Action& action,
                                const api::ActionResult& result, bool succeeded,
                                const std::string& error) {
  const std::string what = action.type == api::kActionDeploy ? "deploy " + action.version
                           : action.type == api::kActionSync ? "sync to " + action.revision
                                                             : "queue discovery";
  Changes changes;
  // The result carries what the drone observed after the action, fresher
  // than its last heartbeat.
  api::DroneStatus& status = changes.Drone(state_, name);
  if (status.last_heartbeat_time) {
    status.deploy_version = result.deploy_version;
    status.tree_revision = result.tree_revision;
  }
  // A grounded drone that re-synced or re-deployed may have shed its cause.
  if (succeeded && action.type != api::kActionDiscover) {
    faults_.Unground(name, api::reason::kCauseGone,
                     what + " succeeded: the cause may be gone", changes);
  }
  if (succeeded) {
    changes.Event(api::kKindDrone, name, api::events::kNormal,
                  action.type == api::kActionDeploy ? api::events::kDeploySucceeded
                  : action.type == api::kActionSync ? api::events::kSyncSucceeded
                                                    : api::events::kQueueDiscovered,
                  what + " succeeded on " + name);
  } else {
    changes.Event(api::kKindDrone, name, api::events::kWarning,
                  action.type == api::kActionDeploy ? api::events::kDeployFailed
                  : action.type == api::kActionSync ? api::events::kSyncFailed
                                                    : api::events::kDiscoveryFailed,
                  what + " failed on " + name + ": " + error);
  }
  // Until the result is stored the action stays in flight: the agent posts
  // it again and it is taken then.
  if (Status st = writer_.Commit(std::move(changes)); !st.ok()) return st;
  for (auto* s : actions_[name].All()) {
    reconcilers::RecordActionResult(*s, result.id, succeeded, error, clock_->SteadyNow(),
                                    clock_->Now());
  }
  if (!succeeded) spdlog::warn("{} failed on {}: {}", what, name, error);
  return Status::Ok();
}

std::vector<api::Action> Drones::ActionsFor(const std::string& name) const {
  std::vector<api::Action> out;
  auto it = actions_.find(name);
  if (it == actions_.end()) return out;
  for (const auto* state : it->second.All()) {
    if (state->in_flight) out.push_back(*state->in_flight);
  }
  return out;
}

api::Action Drones::NewAction(const std::string& type) {
  api::Action a;
  a.id = id_prefix_ + "-" + std::to_string(++next_action_);
  a.type = type;
  return a;
}

Status Drones::Reconcile(const std::string& name, Duration* next) {
  if (!state_.RosterMember(name)) return Status::Ok();
  const WallTime now = clock_->Now();
  const SteadyTime steady = clock_->SteadyNow();
  const api::SwarmSpec& spec = state_.swarm->spec;
  Changes changes;
  api::DroneStatus status = state_.Status(name);
  const api::DroneStatus before = status;

  // Liveness.
  api::Drone drone;
  drone.name = name;
  drone.status = status;
  auto liveness =
      reconcilers::ReconcileLiveness({drone}, leases_, steady, spec.policy.heartbeat_grace);
  for (auto& t : liveness.transitions) {
    api::SetCondition(status.conditions, t.ready, now);
    changes.Event(api::kKindDrone, name, api::events::kWarning, api::events::kDroneUnreachable,
                  t.event_message);
    spdlog::warn("{}", t.event_message);
  }
  if (liveness.requeue_after) Earliest(next, *liveness.requeue_after + Duration(1));
  const bool ready = api::IsConditionTrue(status.conditions, api::condition::kReady);

  // Deploy and tree sync: actions are issued only to a drone that heartbeats.
  // An action issued here is in flight only once its event is committed.
  DroneActions& acts = actions_[name];
  const DroneActions before_acts = acts;
  // Never under a running build: it would end up on another tree or deploy.
  const int held = builds_.Held(name, status);
  auto deploy =
      reconcilers::ReconcileDeploy(spec.deploy.version, status, acts.deploy, steady, held);
  if (deploy.want_action && ready) {
    api::Action a = NewAction(api::kActionDeploy);
    a.version = spec.deploy.version;
    acts.deploy.in_flight = a;
    changes.Event(api::kKindDrone, name, api::events::kNormal, api::events::kDeployIssued,
                  "deploy " + a.version + " asked of " + name + " (" + deploy.condition.reason +
                      ")");
    deploy = reconcilers::ReconcileDeploy(spec.deploy.version, status, acts.deploy, steady, held);
  }
  Earliest(next, deploy.requeue_after);
  api::SetCondition(status.conditions, deploy.condition, now);

  const api::Condition* synced =
      api::FindCondition(status.conditions, api::condition::kTreeSynced);
  const bool resync = synced != nullptr && synced->reason == api::reason::kResyncRequested;
  auto sync = reconcilers::ReconcileTreeSync(spec.portage.tree_revision, status, resync,
                                             acts.sync, steady, held);
  if (sync.want_action && ready) {
    api::Action a = NewAction(api::kActionSync);
    a.revision = spec.portage.tree_revision;
    acts.sync.in_flight = a;
    acts.sync.forced = acts.sync.forced || resync;
    changes.Event(api::kKindDrone, name, api::events::kNormal, api::events::kSyncIssued,
                  "sync to " + a.revision + " asked of " + name + " (" + sync.condition.reason +
                      ")");
    sync = reconcilers::ReconcileTreeSync(spec.portage.tree_revision, status, false, acts.sync,
                                          steady, held);
  }
  Earliest(next, sync.requeue_after);
  api::SetCondition(status.conditions, sync.condition, now);
  if (status != before) changes.drones[name] = std::move(status);

  // Grounding's cooldown: then probation, where one build decides.
  faults_.ReconcileCooldown(name, changes, next);

  // A drone that is not Ready loses its builds at once: back to Needed,
  // attempts kept, nobody blamed (unreachable is not grounded).
  if (!ready) {
    builds_.Reclaim(name, name + " is not Ready (no heartbeat within heartbeatGrace)", false,
                    changes);
  }
  Status st = writer_.Commit(std::move(changes));
  if (!st.ok()) acts = before_acts;
  return st;
}

std::set<std::string> Drones::RosterChanged(const std::set<std::string>& roster,
                                            const std::string& swarm_name, Changes& changes) {
  std::set<std::string> removed;
  for (const auto& [name, status] : state_.statuses) {
    if (roster.count(name)) continue;
    removed.insert(name);
    changes.removed_drones.insert(name);
    changes.Event(api::kKindDrone, name, api::events::kNormal, api::events::kDroneRemoved,
                  "drone " + name + " left the roster of swarm/" + swarm_name);
    // Nothing of what it was building would ever be reported again.
    builds_.Reclaim(name, "it left the roster", false, changes);
  }
  for (const auto& name : roster) {
    if (state_.statuses.count(name)) continue;
    api::SetCondition(changes.drones[name].conditions,
                      {api::condition::kReady,
                       api::kUnknown,
                       api::reason::kNeverJoined,
                       "in the roster; no heartbeat received yet",
                       {}},
                      clock_->Now());
  }
  return removed;
}

void Drones::SpecApplied(const std::set<std::string>& removed, bool deploy_changed,
                         bool tree_changed) {
  for (const auto& name : removed) {
    leases_.Forget(name);
    actions_.erase(name);
  }
  for (auto& [name, acts] : actions_) {
    if (deploy_changed) acts.deploy.ResetBackoff();
    if (tree_changed) acts.sync.ResetBackoff();
    if (deploy_changed || tree_changed) acts.discover.ResetBackoff();
    if (acts.discover.in_flight &&
        !reconcilers::DiscoveryMatchesSpec(*acts.discover.in_flight, state_.swarm->spec)) {
      acts.discover.in_flight.reset();
    }
  }
}

void Drones::RequestResyncAll(const std::string& why, Changes& changes) {
  for (const auto& member : changes.Swarm(state_).spec.drones) {
    api::SetCondition(changes.Drone(state_, member.name).conditions,
                      reconcilers::ResyncRequested(why), clock_->Now());
  }
}

void Drones::FreshStarted() {
  for (auto& [name, acts] : actions_) {
    for (auto* s : acts.All()) s->ResetBackoff();
    acts.sync.forced = true;
    // A sync issued before the request does not count for it, nor does a
    // discovery: both are asked for again.
    acts.sync.in_flight.reset();
    acts.discover.in_flight.reset();
  }
}

void Drones::FaultRaised() {
  for (auto& [name, acts] : actions_) {
    acts.sync.in_flight.reset();
    acts.sync.ResetBackoff();
    acts.discover.in_flight.reset();
    acts.discover.ResetBackoff();
  }
}

}  // namespace swarm::controller

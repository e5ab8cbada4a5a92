#include "controller/core/swarm_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>
#include <set>

#include "api/codec.h"
#include "api/cpv.h"
#include "api/quantity.h"
#include "base/command_runner.h"
#include "controller/binhost/binhost.h"
#include "controller/core/events.h"
#include "controller/reconcilers/queue.h"
#include "controller/reconcilers/swarm_status.h"

namespace swarm::controller {
namespace {

constexpr char kNoSwarmYet[] = "no Swarm has been applied yet (swarmctl apply -f swarm.yaml)";

// Messages from agents end up in conditions and events: kept to a size a
// person reads and the store carries on every write.
constexpr size_t kMaxMessageBytes = 2048;

// Cuts at a UTF-8 character boundary.
std::string Truncate(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end) + "...";
}

// Package names go into `emerge =<name>` and operators' hooks on every drone:
// only a PMS cat/pkg-ver passes.
bool IsPackageName(const std::string& s) { return s.size() <= 256 && api::ParseCpv(s).ok(); }

api::Condition NeverJoinedCondition() {
  return {api::condition::kReady,
          api::kUnknown,
          reasons::kNeverJoined,
          "in the roster; no heartbeat received yet",
          {}};
}

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

const char* ApplyOutcomeName(ApplyOutcome o) {
  switch (o) {
    case ApplyOutcome::kCreated:
      return "created";
    case ApplyOutcome::kConfigured:
      return "configured";
    case ApplyOutcome::kUnchanged:
      return "unchanged";
  }
  return "unchanged";
}

SwarmController::SwarmController(Store* store, Clock* clock, BuildOutputs outputs)
    : store_(store), clock_(clock), outputs_(std::move(outputs)) {
  if (outputs_.binhost != nullptr) {
    index_writer_ = std::make_unique<BinhostIndexWriter>(
        outputs_.binhost->dir(), clock_, outputs_.index_debounce, outputs_.index_thread);
  }
}

Status SwarmController::Start() {
  std::lock_guard<std::mutex> l(mu_);
  auto swarm = store_->GetSwarm();
  if (!swarm.ok()) return swarm.status();
  swarm_ = std::move(swarm.value());
  auto statuses = store_->ListDroneStatuses();
  if (!statuses.ok()) return statuses.status();
  auto packages = store_->ListPackages();
  if (!packages.ok()) return packages.status();
  packages_.Replace(std::move(packages.value()));
  // The index of a previous run may be missing or older than the store.
  ResetBinhostIndexLocked();
  std::random_device random;
  // 64 random bits: ids (action and assignment fencing tokens) of an earlier
  // run are never issued again.
  char prefix[24];
  std::snprintf(prefix, sizeof prefix, "%08x%08x", random(), random());
  action_prefix_ = prefix;
  const SteadyTime now = clock_->SteadyNow();
  for (auto& [name, status] : statuses.value()) {
    leases_.Renew(name, now);
    // A sync in flight when the controller stopped may have been a forced
    // re-sync, whose memory is gone: it is asked for again.
    const api::Condition* synced = api::FindCondition(status.conditions, api::condition::kTreeSynced);
    if (synced != nullptr && synced->reason == "Syncing") actions_[name].sync.forced = true;
    statuses_[name] = std::move(status);
  }
  // A remediated fault is remembered, so one that comes back within the hour
  // after a restart still counts as persisting.
  if (swarm_) {
    const api::Condition* fault = api::FindCondition(swarm_->status.conditions, api::condition::kSystemicFault);
    if (fault != nullptr && fault->reason == api::reason::kRemediated) {
      last_remediation_ = fault->last_transition_time;
    }
  }
  std::string message = "controller started";
  if (swarm_) {
    message += " with swarm/" + swarm_->metadata.name + " (generation " +
               std::to_string(swarm_->metadata.generation) + ", " +
               std::to_string(swarm_->spec.drones.size()) +
               " roster members); every drone gets a fresh heartbeat grace period";
  }
  spdlog::info("{}", message);
  if (!swarm_) return Status::Ok();
  return RecordEventLocked(api::kKindSwarm, swarm_->metadata.name, events::kNormal,
                           events::kControllerStarted, message);
}

Result<ApplyResult> SwarmController::Apply(const api::Swarm& desired) {
  std::lock_guard<std::mutex> l(mu_);
  const WallTime now = clock_->Now();
  if (swarm_ && swarm_->metadata.name != desired.metadata.name) {
    return Conflict("this controller manages swarm/" + swarm_->metadata.name +
                    "; it cannot also take swarm/" + desired.metadata.name);
  }

  // The fresh annotation is the server's (set by RequestFresh only): an
  // applied manifest neither sets it nor rolls it back to an older request.
  api::Swarm wanted = desired;
  wanted.metadata.annotations.erase(api::kFreshAnnotation);
  if (swarm_) {
    auto it = swarm_->metadata.annotations.find(api::kFreshAnnotation);
    if (it != swarm_->metadata.annotations.end()) {
      wanted.metadata.annotations[api::kFreshAnnotation] = it->second;
    }
  }

  api::Swarm next;
  ApplyOutcome outcome;
  if (!swarm_) {
    next = wanted;
    next.status = {};
    next.metadata.generation = 1;
    next.metadata.resource_version = 0;  // 1 once committed
    next.metadata.creation_timestamp = now;
    outcome = ApplyOutcome::kCreated;
  } else {
    next = *swarm_;
    const bool spec_changed = swarm_->spec != wanted.spec;
    const bool annotations_changed = swarm_->metadata.annotations != wanted.metadata.annotations;
    if (!spec_changed && !annotations_changed) return ApplyResult{ApplyOutcome::kUnchanged, next};
    next.spec = wanted.spec;
    next.metadata.annotations = wanted.metadata.annotations;
    if (spec_changed) ++next.metadata.generation;
    outcome = ApplyOutcome::kConfigured;
  }
  const bool created = outcome == ApplyOutcome::kCreated;
  const bool deploy_changed = created || next.spec.deploy.version != swarm_->spec.deploy.version;
  const bool tree_changed =
      created || next.spec.portage.tree_revision != swarm_->spec.portage.tree_revision;

  // One decision, one transaction: the Swarm, the roster's drones, the
  // builds of drones that left, and the events. A crash leaves all or none.
  Changes changes;
  std::set<std::string> roster;
  for (const auto& d : next.spec.drones) roster.insert(d.name);
  std::vector<std::string> removed;
  for (const auto& [name, status] : statuses_) {
    if (!roster.count(name)) removed.push_back(name);
  }
  for (const auto& name : removed) {
    changes.removed_drones.insert(name);
    changes.Event(api::kKindDrone, name, events::kNormal, events::kDroneRemoved,
                  "drone " + name + " left the roster of swarm/" + next.metadata.name);
    // Nothing of what it was building would ever be reported again.
    ReclaimAssignmentsLocked(name, "it left the roster", false, changes);
  }
  for (const auto& name : roster) {
    if (statuses_.count(name)) continue;
    api::DroneStatus& status = changes.drones[name];
    api::SetCondition(status.conditions, NeverJoinedCondition(), now);
  }
  // A fault that persisted after remediation waits for a person: a new tree
  // or deploy is one, so it is looked at again from scratch.
  bool fault_cleared = false;
  if ((deploy_changed || tree_changed) && !created) {
    const api::Condition* fault = api::FindCondition(next.status.conditions, api::condition::kSystemicFault);
    if (fault != nullptr && fault->status == api::kTrue) {
      api::SetCondition(next.status.conditions,
                        {api::condition::kSystemicFault, api::kFalse, api::reason::kSpecChanged,
                         "the spec's tree or deploy changed; was: " + fault->message, {}},
                        now);
      fault_cleared = true;
    }
  }
  changes.Event(api::kKindSwarm, next.metadata.name, events::kNormal,
                created ? events::kSwarmCreated : events::kSwarmConfigured,
                "swarm/" + next.metadata.name + (created ? " created" : " configured") +
                    " at generation " + std::to_string(next.metadata.generation) + " with " +
                    std::to_string(next.spec.drones.size()) + " roster members");
  changes.swarm = std::move(next);
  if (Status st = CommitLocked(std::move(changes)); !st.ok()) return st;

  for (const auto& name : removed) {
    leases_.Forget(name);
    actions_.erase(name);
  }
  if (fault_cleared) {
    remediation_pending_ = false;
    last_remediation_.reset();
    failing_alike_.Clear();
  }
  // A new wanted value deserves an attempt now, not after the backoff earned
  // by the old one; a discovery against the old spec would only be discarded.
  for (auto& [name, acts] : actions_) {
    if (deploy_changed) acts.deploy.ResetBackoff();
    if (tree_changed) acts.sync.ResetBackoff();
    if (deploy_changed || tree_changed) acts.discover.ResetBackoff();
    if (acts.discover.in_flight &&
        !reconcilers::DiscoveryMatchesSpec(*acts.discover.in_flight, swarm_->spec)) {
      acts.discover.in_flight.reset();
    }
  }
  // The reconcilers run now, so no reader sees the old verdicts under the
  // new generation.
  Duration ignored{0};
  if (Status s = ReconcileLocked(&ignored); !s.ok()) {
    spdlog::error("reconciling after apply: {}", s.ToString());
  }
  spdlog::info("swarm/{} {} (generation {})", swarm_->metadata.name, ApplyOutcomeName(outcome),
               swarm_->metadata.generation);
  EnqueueLocked(KeysLocked());
  return ApplyResult{outcome, *swarm_};
}

Result<api::Swarm> SwarmController::GetSwarm() {
  std::lock_guard<std::mutex> l(mu_);
  if (!swarm_) return NotFound(kNoSwarmYet);
  return *swarm_;
}

std::vector<api::Drone> SwarmController::DronesLocked() const {
  std::vector<api::Drone> drones;
  if (!swarm_) return drones;
  drones.reserve(swarm_->spec.drones.size());
  for (const auto& spec : swarm_->spec.drones) drones.push_back(DroneLocked(spec));
  std::sort(drones.begin(), drones.end(),
            [](const api::Drone& a, const api::Drone& b) { return a.name < b.name; });
  return drones;
}

api::Drone SwarmController::DroneLocked(const api::DroneSpec& spec) const {
  api::Drone d;
  d.name = spec.name;
  d.spec = spec;
  auto it = statuses_.find(spec.name);
  if (it != statuses_.end()) d.status = it->second;
  for (size_t i : packages_.BuildingOn(spec.name)) d.status.assignments.push_back(packages_[i].name);
  return d;
}

Result<std::vector<api::Drone>> SwarmController::ListDrones() {
  std::lock_guard<std::mutex> l(mu_);
  return DronesLocked();
}

Result<api::Drone> SwarmController::GetDrone(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  const api::DroneSpec* member = RosterMemberLocked(name);
  if (member == nullptr) return NotFound("drone \"" + name + "\" is not in the roster");
  return DroneLocked(*member);
}

Result<std::vector<api::Event>> SwarmController::ListEvents(const EventFilter& filter) {
  std::lock_guard<std::mutex> l(mu_);
  return store_->ListEvents(filter);
}

Result<HeartbeatReply> SwarmController::Heartbeat(const std::string& name,
                                                  const api::DroneReport& report) {
  std::lock_guard<std::mutex> l(mu_);
  const WallTime now = clock_->Now();
  if (!RosterMemberLocked(name)) {
    std::string why =
        swarm_ ? "drone \"" + name + "\" is not in the roster of swarm/" + swarm_->metadata.name
               : "drone \"" + name + "\" cannot join: no Swarm has been applied yet";
    // The event is best effort: a refused heartbeat stays refused even when
    // the store cannot record it.
    Status ev = RecordEventLocked(api::kKindDrone, name, events::kWarning, events::kNotInRoster,
                                  why + "; heartbeat refused");
    if (!ev.ok()) spdlog::error("recording event: {}", ev.ToString());
    return PermissionDenied(why);
  }

  api::DroneStatus& current = statuses_[name];
  api::DroneStatus status = current;
  const api::Condition* before = api::FindCondition(status.conditions, api::condition::kReady);
  const bool was_ready = before != nullptr && before->status == api::kTrue;
  const std::string before_reason = before ? before->reason : reasons::kNeverJoined;
  status.deploy_version = report.deploy_version;
  status.tree_revision = report.tree_revision;
  status.health = report.health;
  status.health_reason = report.health_reason;
  status.actions = report.actions;
  status.builds = report.builds;
  status.resources = report.resources;
  status.last_heartbeat_time = now;
  const Duration interval = swarm_->spec.policy.heartbeat_interval;
  api::SetCondition(status.conditions,
                    {api::condition::kReady,
                     api::kTrue,
                     reasons::kHeartbeatReceived,
                     "agent heartbeats arrive (interval " + api::FormatDuration(interval) + ")",
                     {}},
                    now);

  // Liveness and load live in memory: a beat that changes nothing a restart
  // must keep costs no write (a restart gives every drone a fresh grace).
  const bool changed = !was_ready || DurablePart(current) != DurablePart(status);
  if (changed) {
    Status st = store_->Transaction([&]() -> Status {
      if (Status s = store_->PutDroneStatus(name, status); !s.ok()) return s;
      if (was_ready) return Status::Ok();
      std::string message = before_reason == reasons::kNeverJoined
                                ? "drone " + name + " joined swarm/" + swarm_->metadata.name
                                : "drone " + name + " is heartbeating again";
      return RecordEventLocked(api::kKindDrone, name, events::kNormal, events::kDroneReady,
                               message);
    });
    if (!st.ok()) return st;
  }
  current = std::move(status);
  leases_.Renew(name, clock_->SteadyNow());
  if (!was_ready) spdlog::info("drone {} is Ready", name);
  ForgetLostActionsLocked(name, report);
  if (Status s = RenewBuildLeasesLocked(name, report); !s.ok()) return s;
  // The drone's reconcilers run now, so the reply already carries what it
  // must do; when it is the discoverer, the queue's too (its report may be
  // what discovery waited for). Swarm-wide work (status, dispatch to
  // everyone) is coalesced in the work queue.
  Duration ignored{0};
  if (Status s = ReconcileDroneLocked(name, &ignored); !s.ok()) return s;
  if (name == swarm_->spec.queue.discover_on) {
    if (Status s = ReconcileQueueLocked(&ignored); !s.ok()) {
      spdlog::error("reconciling the queue after a heartbeat from {}: {}", name, s.ToString());
    }
  }
  if (Status s = DispatchToDroneLocked(name); !s.ok()) return s;
  HeartbeatReply reply;
  reply.heartbeat_interval = interval;
  reply.health = swarm_->spec.policy.health;
  reply.actions = ActionsForLocked(name);
  reply.assignments = AssignmentsForLocked(name);
  if (changed) ScheduleSwarmPassLocked();
  WatchLeaseLocked(name);
  return reply;
}

void SwarmController::ForgetLostActionsLocked(const std::string& name,
                                              const api::DroneReport& report) {
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

std::vector<api::Action> SwarmController::ActionsForLocked(const std::string& name) const {
  std::vector<api::Action> out;
  auto it = actions_.find(name);
  if (it == actions_.end()) return out;
  for (const auto* state : it->second.All()) {
    if (state->in_flight) out.push_back(*state->in_flight);
  }
  return out;
}

api::Action SwarmController::NewActionLocked(const std::string& type) {
  api::Action a;
  a.id = action_prefix_ + "-" + std::to_string(++next_action_);
  a.type = type;
  return a;
}

Status SwarmController::ReportActionResult(const std::string& name,
                                           const api::ActionResult& result) {
  std::lock_guard<std::mutex> l(mu_);
  if (!RosterMemberLocked(name)) {
    return PermissionDenied("drone \"" + name + "\" is not in the roster");
  }
  auto it = actions_.find(name);
  reconcilers::ActionState* state = nullptr;
  if (it != actions_.end()) {
    for (auto* s : it->second.All()) {
      if (s->in_flight && s->in_flight->id == result.id) state = s;
    }
  }
  if (state == nullptr) {
    return Conflict("action " + result.id + " is not in flight on drone " + name +
                    " (stale or already reported)");
  }
  const api::Action action = *state->in_flight;
  bool succeeded = result.succeeded;
  std::string error = result.message;
  if (!result.output_tail.empty()) error += "; output: " + Tail(result.output_tail, 5);
  if (action.type == api::kActionDiscover && succeeded) {
    // The agent checks its tree before it resolves; the controller checks
    // again, so a queue is never taken from a drone on another tree.
    std::string wrong = CheckDiscoveryResult(result, action, name);
    if (!wrong.empty()) {
      succeeded = false;
      error = wrong;
    }
  }
  error = Truncate(error, kMaxMessageBytes);
  const std::string what = action.type == api::kActionDeploy ? "deploy " + action.version
                           : action.type == api::kActionSync ? "sync to " + action.revision
                                                             : "queue discovery";
  if (action.type == api::kActionDiscover && succeeded) {
    if (Status s = HandleDiscoveryLocked(result, action); !s.ok()) return s;
  }
  // The result carries what the drone observed after the action, fresher
  // than its last heartbeat.
  api::DroneStatus status = statuses_[name];
  if (status.last_heartbeat_time) {
    status.deploy_version = result.deploy_version;
    status.tree_revision = result.tree_revision;
  }
  // A grounded drone that re-synced or re-deployed may have shed its cause.
  std::optional<api::Condition> ungrounded;
  if (succeeded && action.type != api::kActionDiscover) {
    ungrounded = reconcilers::Unground(status, reconcilers::kGroundedCauseGone,
                                       what + " succeeded: the cause may be gone");
    if (ungrounded) {
      api::SetCondition(status.conditions, *ungrounded, clock_->Now());
      status.consecutive_failures = 0;
    }
  }
  Status st = store_->Transaction([&]() -> Status {
    if (Status s = store_->PutDroneStatus(name, status); !s.ok()) return s;
    if (ungrounded) {
      if (Status s = RecordEventLocked(api::kKindDrone, name, events::kNormal,
                                       events::kDroneUngrounded, ungrounded->message);
          !s.ok()) {
        return s;
      }
    }
    if (succeeded) {
      return RecordEventLocked(api::kKindDrone, name, events::kNormal,
                               action.type == api::kActionDeploy ? events::kDeploySucceeded
                               : action.type == api::kActionSync ? events::kSyncSucceeded
                                                                 : events::kQueueDiscovered,
                               what + " succeeded on " + name);
    }
    return RecordEventLocked(api::kKindDrone, name, events::kWarning,
                             action.type == api::kActionDeploy ? events::kDeployFailed
                             : action.type == api::kActionSync ? events::kSyncFailed
                                                               : events::kDiscoveryFailed,
                             what + " failed on " + name + ": " + error);
  });
  // Until the result is stored the action stays in flight: the agent posts
  // it again and it is taken then.
  if (!st.ok()) return st;
  statuses_[name] = std::move(status);
  reconcilers::RecordActionResult(*state, result.id, succeeded, error, clock_->SteadyNow(),
                                  clock_->Now());
  if (!succeeded) spdlog::warn("{} failed on {}: {}", what, name, error);
  Duration ignored{0};
  if (Status s = ReconcileDroneLocked(name, &ignored); !s.ok()) return s;
  // A synced discoverer, or a discovered queue: the queue's reconciler acts
  // now; dispatch to everyone follows in the swarm pass.
  if (Status s = ReconcileQueueLocked(&ignored); !s.ok()) {
    spdlog::error("reconciling the queue after a result from {}: {}", name, s.ToString());
  }
  ScheduleSwarmPassLocked();
  return Status::Ok();
}

std::string SwarmController::CheckDiscoveryResult(const api::ActionResult& result,
                                                  const api::Action& action,
                                                  const std::string& drone) const {
  if (drone != swarm_->spec.queue.discover_on) {
    return "discovery result from " + drone + ", which is no longer spec.queue.discoverOn";
  }
  if (result.tree_revision != action.tree_revision ||
      result.deploy_version != action.deploy_version) {
    return "discovery ran on tree " + result.tree_revision + " and deploy " +
           result.deploy_version + ", not the tree " + action.tree_revision + " and deploy " +
           action.deploy_version + " it was asked for";
  }
  for (const auto& p : result.packages) {
    if (!IsPackageName(p.name))
      return "discovery returned \"" + Truncate(p.name, 200) + "\", which is not a cat/pkg-ver";
    for (const auto& d : p.dependencies) {
      if (!IsPackageName(d))
        return "discovery returned dependency \"" + Truncate(d, 200) +
               "\", which is not a cat/pkg-ver";
    }
  }
  return "";
}

Result<std::vector<api::Package>> SwarmController::ListPackages() {
  std::lock_guard<std::mutex> l(mu_);
  return packages_.packages();
}

Result<FreshResult> SwarmController::RequestFresh() {
  std::lock_guard<std::mutex> l(mu_);
  if (!swarm_) return NotFound(kNoSwarmYet);
  api::Swarm next = *swarm_;
  // Milliseconds, so two requests in one second are still two requests.
  const WallTime now = clock_->Now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::string stamp = FormatTime(now);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms.count()));
  stamp.insert(stamp.size() - 1, frac);
  next.metadata.annotations[api::kFreshAnnotation] = stamp;
  Status st = CommitSwarmLocked(std::move(next), [&] {
    return RecordEventLocked(
        api::kKindSwarm, swarm_->metadata.name, events::kNormal, events::kFreshRequested,
        "fresh start requested: re-sync every member, rediscover the queue (" +
            std::to_string(packages_.size()) + " packages discarded), clear every grounding");
  });
  if (!st.ok()) return st;
  FreshResult out;
  out.requested_at = stamp;
  for (const auto& d : swarm_->spec.drones) out.members.push_back(d.name);
  out.queued_packages = static_cast<int>(packages_.size());
  EnqueueLocked(KeysLocked());
  return out;
}

const api::DroneSpec* SwarmController::RosterMemberLocked(const std::string& name) const {
  if (!swarm_) return nullptr;
  const auto& drones = swarm_->spec.drones;
  if (roster_generation_ != swarm_->metadata.generation || roster_.size() > drones.size()) {
    roster_.clear();
    for (size_t i = 0; i < drones.size(); ++i) roster_.emplace(drones[i].name, i);
    roster_generation_ = swarm_->metadata.generation;
  }
  auto it = roster_.find(name);
  if (it == roster_.end() || it->second >= drones.size() || drones[it->second].name != name) {
    return nullptr;
  }
  return &drones[it->second];
}

Status SwarmController::RecordEventLocked(const std::string& kind, const std::string& name,
                                          const std::string& type, const std::string& reason,
                                          const std::string& message) {
  api::Event e;
  e.object_kind = kind;
  e.object_name = name;
  e.type = type;
  e.reason = reason;
  e.message = message;
  e.first_timestamp = e.last_timestamp = clock_->Now();
  auto stored = store_->RecordEvent(e);
  return stored.ok() ? Status::Ok() : stored.status();
}

}  // namespace swarm::controller

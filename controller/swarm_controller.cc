#include "controller/swarm_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "api/codec.h"
#include "api/quantity.h"
#include "controller/events.h"
#include "controller/reconcilers/swarm_status.h"

namespace swarm::controller {
namespace {

// Periodic resync: reconcilers run at least this often even when nothing
// woke them, so a lost wake-up never leaves the swarm unreconciled.
constexpr Duration kResyncPeriod{10000};

api::Condition NeverJoinedCondition() {
  return {"Ready", api::kUnknown, reasons::kNeverJoined,
          "in the roster; no heartbeat received yet", {}};
}

bool SameSpec(const api::SwarmSpec& a, const api::SwarmSpec& b) {
  return api::SwarmSpecToJson(a) == api::SwarmSpecToJson(b);
}

}  // namespace

const char* ApplyOutcomeName(ApplyOutcome o) {
  switch (o) {
    case ApplyOutcome::kCreated: return "created";
    case ApplyOutcome::kConfigured: return "configured";
    case ApplyOutcome::kUnchanged: return "unchanged";
  }
  return "unchanged";
}

SwarmController::SwarmController(Store* store, Clock* clock) : store_(store), clock_(clock) {}

Status SwarmController::Start() {
  std::lock_guard<std::mutex> l(mu_);
  auto swarm = store_->GetSwarm();
  if (!swarm.ok()) return swarm.status();
  swarm_ = std::move(swarm.value());
  auto statuses = store_->ListDroneStatuses();
  if (!statuses.ok()) return statuses.status();
  const SteadyTime now = clock_->SteadyNow();
  for (auto& [name, status] : statuses.value()) {
    leases_.Renew(name, now);
    statuses_[name] = std::move(status);
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

  api::Swarm next;
  ApplyOutcome outcome;
  if (!swarm_) {
    next = desired;
    next.status = {};
    next.metadata.generation = 1;
    next.metadata.resource_version = 1;
    next.metadata.creation_timestamp = now;
    outcome = ApplyOutcome::kCreated;
  } else {
    next = *swarm_;
    const bool spec_changed = !SameSpec(swarm_->spec, desired.spec);
    const bool annotations_changed = swarm_->metadata.annotations != desired.metadata.annotations;
    if (!spec_changed && !annotations_changed) return ApplyResult{ApplyOutcome::kUnchanged, next};
    next.spec = desired.spec;
    next.metadata.annotations = desired.metadata.annotations;
    if (spec_changed) ++next.metadata.generation;
    ++next.metadata.resource_version;
    outcome = ApplyOutcome::kConfigured;
  }

  std::set<std::string> roster;
  for (const auto& d : next.spec.drones) roster.insert(d.name);
  std::map<std::string, api::DroneStatus> statuses = statuses_;
  std::vector<std::string> removed;
  for (const auto& [name, status] : statuses) {
    if (!roster.count(name)) removed.push_back(name);
  }
  std::vector<std::string> added;
  for (const auto& name : roster) {
    if (!statuses.count(name)) added.push_back(name);
  }

  Status st = store_->Transaction([&]() -> Status {
    if (Status s = store_->PutSwarm(next); !s.ok()) return s;
    for (const auto& name : removed) {
      if (Status s = store_->DeleteDrone(name); !s.ok()) return s;
      statuses.erase(name);
      if (Status s = RecordEventLocked(api::kKindDrone, name, events::kNormal,
                                       events::kDroneRemoved,
                                       "drone " + name + " left the roster of swarm/" +
                                           next.metadata.name);
          !s.ok()) {
        return s;
      }
    }
    for (const auto& name : added) {
      api::DroneStatus status;
      api::SetCondition(status.conditions, NeverJoinedCondition(), now);
      if (Status s = store_->PutDroneStatus(name, status); !s.ok()) return s;
      statuses[name] = std::move(status);
    }
    const bool created = outcome == ApplyOutcome::kCreated;
    return RecordEventLocked(
        api::kKindSwarm, next.metadata.name, events::kNormal,
        created ? events::kSwarmCreated : events::kSwarmConfigured,
        "swarm/" + next.metadata.name + (created ? " created" : " configured") + " at generation " +
            std::to_string(next.metadata.generation) + " with " +
            std::to_string(next.spec.drones.size()) + " roster members");
  });
  if (!st.ok()) return st;

  swarm_ = next;
  statuses_ = std::move(statuses);
  for (const auto& name : removed) leases_.Forget(name);
  spdlog::info("swarm/{} {} (generation {})", next.metadata.name, ApplyOutcomeName(outcome),
               next.metadata.generation);
  wake_ = true;
  wake_cv_.notify_all();
  return ApplyResult{outcome, next};
}

Result<api::Swarm> SwarmController::GetSwarm() {
  std::lock_guard<std::mutex> l(mu_);
  if (!swarm_) return NotFound("no Swarm has been applied yet (swarmctl apply -f swarm.yaml)");
  return *swarm_;
}

std::vector<api::Drone> SwarmController::DronesLocked() const {
  std::vector<api::Drone> drones;
  if (!swarm_) return drones;
  for (const auto& spec : swarm_->spec.drones) {
    api::Drone d;
    d.name = spec.name;
    d.spec = spec;
    auto it = statuses_.find(spec.name);
    if (it != statuses_.end()) d.status = it->second;
    drones.push_back(std::move(d));
  }
  std::sort(drones.begin(), drones.end(),
            [](const api::Drone& a, const api::Drone& b) { return a.name < b.name; });
  return drones;
}

Result<std::vector<api::Drone>> SwarmController::ListDrones() {
  std::lock_guard<std::mutex> l(mu_);
  return DronesLocked();
}

Result<api::Drone> SwarmController::GetDrone(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  for (auto& d : DronesLocked()) {
    if (d.name == name) return d;
  }
  return NotFound("drone \"" + name + "\" is not in the roster");
}

Result<std::vector<api::Event>> SwarmController::ListEvents(const EventFilter& filter) {
  std::lock_guard<std::mutex> l(mu_);
  return store_->ListEvents(filter);
}

Result<HeartbeatReply> SwarmController::Heartbeat(const std::string& name,
                                                  const api::DroneReport& report) {
  std::lock_guard<std::mutex> l(mu_);
  const WallTime now = clock_->Now();
  const bool in_roster =
      swarm_ && std::any_of(swarm_->spec.drones.begin(), swarm_->spec.drones.end(),
                            [&](const api::DroneSpec& d) { return d.name == name; });
  if (!in_roster) {
    std::string why = swarm_ ? "drone \"" + name + "\" is not in the roster of swarm/" +
                                   swarm_->metadata.name
                             : "drone \"" + name + "\" cannot join: no Swarm has been applied yet";
    // The event is best effort: a refused heartbeat stays refused even when
    // the store cannot record it.
    Status ev = RecordEventLocked(api::kKindDrone, name, events::kWarning, events::kNotInRoster,
                                  why + "; heartbeat refused");
    if (!ev.ok()) spdlog::error("recording event: {}", ev.ToString());
    return PermissionDenied(why);
  }

  api::DroneStatus status = statuses_[name];
  const api::Condition* before = api::FindCondition(status.conditions, "Ready");
  const bool was_ready = before != nullptr && before->status == api::kTrue;
  const std::string before_reason = before ? before->reason : reasons::kNeverJoined;
  status.deploy_version = report.deploy_version;
  status.tree_revision = report.tree_revision;
  status.health = report.health;
  status.health_reason = report.health_reason;
  status.resources = report.resources;
  status.last_heartbeat_time = now;
  const Duration interval = swarm_->spec.policy.heartbeat_interval;
  api::SetCondition(status.conditions,
                    {"Ready", api::kTrue, reasons::kHeartbeatReceived,
                     "agent heartbeats arrive (interval " + api::FormatDuration(interval) + ")",
                     {}},
                    now);

  Status st = store_->Transaction([&]() -> Status {
    if (Status s = store_->PutDroneStatus(name, status); !s.ok()) return s;
    if (was_ready) return Status::Ok();
    std::string message = before_reason == reasons::kNeverJoined
                              ? "drone " + name + " joined swarm/" + swarm_->metadata.name
                              : "drone " + name + " is heartbeating again";
    return RecordEventLocked(api::kKindDrone, name, events::kNormal, events::kDroneReady, message);
  });
  if (!st.ok()) return st;
  statuses_[name] = std::move(status);
  leases_.Renew(name, clock_->SteadyNow());
  if (!was_ready) {
    spdlog::info("drone {} is Ready", name);
    wake_ = true;
    wake_cv_.notify_all();
  }
  HeartbeatReply reply;
  reply.heartbeat_interval = interval;
  reply.health = swarm_->spec.policy.health;
  return reply;
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

Duration SwarmController::ReconcileOnce() {
  std::lock_guard<std::mutex> l(mu_);
  Duration next = kResyncPeriod;
  Status st = ReconcileLocked(&next);
  if (!st.ok()) {
    spdlog::error("reconcile failed, retrying in 1s: {}", st.ToString());
    next = std::min(next, Duration(1000));
  }
  return next;
}

Status SwarmController::ReconcileLocked(Duration* next) {
  if (!swarm_) return Status::Ok();
  const WallTime now = clock_->Now();

  auto liveness = reconcilers::ReconcileLiveness(DronesLocked(), leases_, clock_->SteadyNow(),
                                                 swarm_->spec.policy.heartbeat_grace);
  for (auto& t : liveness.transitions) {
    api::DroneStatus status = statuses_[t.drone];
    api::SetCondition(status.conditions, t.ready, now);
    Status st = store_->Transaction([&]() -> Status {
      if (Status s = store_->PutDroneStatus(t.drone, status); !s.ok()) return s;
      return RecordEventLocked(api::kKindDrone, t.drone, events::kWarning, t.event_reason,
                               t.event_message);
    });
    if (!st.ok()) return st;
    spdlog::warn("{}", t.event_message);
    statuses_[t.drone] = std::move(status);
  }
  if (liveness.requeue_after) {
    // One millisecond past expiry, so the next pass sees the lease as expired.
    *next = std::min(*next, *liveness.requeue_after + Duration(1));
  }

  api::SwarmStatus status = reconcilers::ReconcileSwarmStatus(*swarm_, DronesLocked(), now);
  if (api::ConditionsToJson(status.conditions) != api::ConditionsToJson(swarm_->status.conditions) ||
      status.observed_generation != swarm_->status.observed_generation) {
    api::Swarm updated = *swarm_;
    updated.status = std::move(status);
    ++updated.metadata.resource_version;
    if (Status s = store_->PutSwarm(updated); !s.ok()) return s;
    swarm_ = std::move(updated);
  }
  return Status::Ok();
}

void SwarmController::RunLoop() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_) {
    l.unlock();
    Duration next = ReconcileOnce();
    l.lock();
    wake_cv_.wait_for(l, next, [this] { return wake_ || stop_; });
    wake_ = false;
  }
}

void SwarmController::Wake() {
  std::lock_guard<std::mutex> l(mu_);
  wake_ = true;
  wake_cv_.notify_all();
}

void SwarmController::Stop() {
  std::lock_guard<std::mutex> l(mu_);
  stop_ = true;
  wake_cv_.notify_all();
}

}  // namespace swarm::controller

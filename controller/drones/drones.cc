// SwarmController's reconcile passes: the per-drone reconcilers (liveness,
// deploy, tree sync) and the swarm-wide ones (fresh, queue, status). The
// decisions are pure functions in reconcilers/; this file applies them:
// issues actions, writes conditions when they differ, records events.

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/codec.h"
#include "controller/core/events.h"
#include "controller/reconcilers/deploy.h"
#include "controller/reconcilers/queue.h"
#include "controller/reconcilers/swarm_status.h"
#include "controller/reconcilers/tree_sync.h"
#include "controller/core/swarm_controller.h"

namespace swarm::controller {
namespace {

// Periodic resync: reconcilers run at least this often even when nothing
// woke them, so a lost wake-up never leaves the swarm unreconciled.
constexpr Duration kResyncPeriod{10000};

// Work-queue keys.
constexpr char kSwarmKey[] = "swarm";
constexpr char kDronePrefix[] = "drone/";

// How long swarm-wide work waits for more of what woke it: every heartbeat,
// result and verb in that window is served by one pass.
constexpr Duration kSwarmPassDelay{100};
constexpr Duration kSwarmPassMaxDelay{5000};

void Earliest(Duration* next, std::optional<Duration> d) {
  if (d) *next = std::min(*next, *d);
}

}  // namespace

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

std::vector<std::string> SwarmController::KeysLocked() const {
  std::vector<std::string> keys = {kSwarmKey};
  if (swarm_) {
    for (const auto& d : swarm_->spec.drones) keys.push_back(kDronePrefix + d.name);
  }
  return keys;
}

void SwarmController::EnqueueLocked(const std::vector<std::string>& keys) {
  if (queue_ == nullptr) return;
  for (const auto& k : keys) queue_->Add(k);
}

void SwarmController::ScheduleSwarmPassLocked() {
  if (queue_ == nullptr) return;
  // A pass over a large queue and roster holds the lock for a while: it runs
  // at most a tenth of the time, so requests always get the rest.
  const Duration delay = std::clamp(swarm_pass_cost_ * 10, kSwarmPassDelay, kSwarmPassMaxDelay);
  queue_->AddAfter(kSwarmKey, delay);
}

void SwarmController::WatchLeaseLocked(const std::string& name) {
  if (queue_ == nullptr || !swarm_) return;
  // Keeps the earlier time when already scheduled: one look per grace, not per beat.
  queue_->AddAfter(kDronePrefix + name, swarm_->spec.policy.heartbeat_grace + Duration(1));
}

ReconcileOutcome SwarmController::ReconcileKey(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  Duration next = kResyncPeriod;
  Status st;
  if (key == kSwarmKey) {
    const SteadyTime start = clock_->SteadyNow();
    st = ReconcileSwarmLocked(&next);
    swarm_pass_cost_ = std::chrono::duration_cast<Duration>(clock_->SteadyNow() - start);
  } else if (key.starts_with(kDronePrefix)) {
    st = ReconcileDroneLocked(key.substr(std::string_view(kDronePrefix).size()), &next);
  }
  if (!st.ok()) spdlog::error("reconciling {}: {}", key, st.ToString());
  ReconcileOutcome out{st, std::nullopt};
  // The periodic resync covers the rest; a reconciler that needs to look
  // sooner (a lease expiring, a backoff ending) is requeued for then.
  if (next < kResyncPeriod) out.requeue_after = next;
  return out;
}

void SwarmController::RunLoop(int workers) {
  WorkQueue queue(clock_);
  ReconcileLoop loop(
      &queue, [this](const std::string& key) { return ReconcileKey(key); }, kResyncPeriod,
      [this] {
        std::lock_guard<std::mutex> l(mu_);
        return KeysLocked();
      });
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stop_) return;
    queue_ = &queue;
    loop_ = &loop;
  }
  loop.Run(workers);
  std::lock_guard<std::mutex> l(mu_);
  queue_ = nullptr;
  loop_ = nullptr;
}

void SwarmController::Stop() {
  std::lock_guard<std::mutex> l(mu_);
  stop_ = true;
  stop_cv_.notify_all();
  if (loop_ != nullptr) loop_->Stop();
}

Status SwarmController::ReconcileLocked(Duration* next) {
  if (!swarm_) return Status::Ok();
  for (const auto& d : swarm_->spec.drones) {
    if (Status s = ReconcileDroneLocked(d.name, next); !s.ok()) return s;
  }
  return ReconcileSwarmLocked(next);
}

Status SwarmController::ReconcileDroneLocked(const std::string& name, Duration* next) {
  if (!RosterMemberLocked(name)) return Status::Ok();
  const WallTime now = clock_->Now();
  const SteadyTime steady = clock_->SteadyNow();
  const api::SwarmSpec& spec = swarm_->spec;
  api::DroneStatus status = statuses_[name];
  const api::DroneStatus before = status;
  std::vector<api::Event> to_record;
  auto event = [&](const char* type, const char* reason, std::string message) {
    api::Event e;
    e.object_kind = api::kKindDrone;
    e.object_name = name;
    e.type = type;
    e.reason = reason;
    e.message = std::move(message);
    to_record.push_back(std::move(e));
  };

  // Liveness.
  api::Drone drone;
  drone.name = name;
  drone.status = status;
  auto liveness =
      reconcilers::ReconcileLiveness({drone}, leases_, steady, spec.policy.heartbeat_grace);
  for (auto& t : liveness.transitions) {
    api::SetCondition(status.conditions, t.ready, now);
    event(events::kWarning, events::kDroneUnreachable, t.event_message);
    spdlog::warn("{}", t.event_message);
  }
  if (liveness.requeue_after) Earliest(next, *liveness.requeue_after + Duration(1));
  const bool ready = api::IsConditionTrue(status.conditions, api::condition::kReady);

  // Deploy and tree sync: actions are issued only to a drone that heartbeats.
  DroneActions& acts = actions_[name];
  // Never under a running build: it would end up on another tree or deploy.
  const int held = BuildsHeldLocked(name, status);
  auto deploy =
      reconcilers::ReconcileDeploy(spec.deploy.version, status, acts.deploy, steady, held);
  if (deploy.want_action && ready) {
    api::Action a = NewActionLocked(api::kActionDeploy);
    a.version = spec.deploy.version;
    acts.deploy.in_flight = a;
    event(events::kNormal, events::kDeployIssued,
          "deploy " + a.version + " asked of " + name + " (" + deploy.condition.reason + ")");
    deploy = reconcilers::ReconcileDeploy(spec.deploy.version, status, acts.deploy, steady, held);
  }
  Earliest(next, deploy.requeue_after);
  api::SetCondition(status.conditions, deploy.condition, now);

  const api::Condition* synced = api::FindCondition(status.conditions, api::condition::kTreeSynced);
  const bool resync = synced != nullptr && synced->reason == reconcilers::kResyncRequested;
  auto sync = reconcilers::ReconcileTreeSync(spec.portage.tree_revision, status, resync, acts.sync,
                                             steady, held);
  if (sync.want_action && ready) {
    api::Action a = NewActionLocked(api::kActionSync);
    a.revision = spec.portage.tree_revision;
    acts.sync.in_flight = a;
    acts.sync.forced = acts.sync.forced || resync;
    event(events::kNormal, events::kSyncIssued,
          "sync to " + a.revision + " asked of " + name + " (" + sync.condition.reason + ")");
    sync = reconcilers::ReconcileTreeSync(spec.portage.tree_revision, status, false, acts.sync,
                                          steady, held);
  }
  Earliest(next, sync.requeue_after);
  api::SetCondition(status.conditions, sync.condition, now);

  // Grounding's cooldown: then probation, where one build decides.
  auto cooldown =
      reconcilers::ReconcileGroundingCooldown(status, spec.policy.grounding_cooldown, now);
  if (cooldown.probation) {
    api::SetCondition(status.conditions, *cooldown.probation, now);
    event(events::kNormal, events::kDroneOnProbation, name + ": " + cooldown.probation->message);
  }
  if (cooldown.requeue_after) Earliest(next, *cooldown.requeue_after + Duration(1));

  // A drone that is not Ready loses its builds at once: back to Needed,
  // attempts kept, nobody blamed (unreachable is not grounded).
  if (!ready) {
    Changes changes;
    ReclaimAssignmentsLocked(name, name + " is not Ready (no heartbeat within heartbeatGrace)",
                             false, changes);
    if (Status s = CommitLocked(std::move(changes)); !s.ok()) return s;
  }

  if (status == before && to_record.empty()) {
    return Status::Ok();
  }
  // Memory follows the store only once the write is committed.
  Status st = store_->Transaction([&]() -> Status {
    for (const auto& e : to_record) {
      if (Status s = RecordEventLocked(e.object_kind, e.object_name, e.type, e.reason, e.message);
          !s.ok()) {
        return s;
      }
    }
    return store_->PutDroneStatus(name, status);
  });
  if (!st.ok()) return st;
  statuses_[name] = std::move(status);
  return Status::Ok();
}

Status SwarmController::HandleFreshLocked() {
  auto it = swarm_->metadata.annotations.find(api::kFreshAnnotation);
  if (it == swarm_->metadata.annotations.end() || it->second.empty() ||
      it->second == swarm_->status.observed_fresh_request) {
    return Status::Ok();
  }
  const std::string requested = it->second;
  const WallTime now = clock_->Now();
  api::Swarm next = *swarm_;
  next.status.observed_fresh_request = requested;
  next.status.queue = {};
  if (const api::Condition* fault = api::FindCondition(next.status.conditions, api::condition::kSystemicFault);
      fault != nullptr && fault->status == api::kTrue) {
    api::SetCondition(next.status.conditions,
                      {api::condition::kSystemicFault, api::kFalse, api::reason::kFreshStart,
                       "cleared by swarmctl fresh; was: " + fault->message, {}},
                      now);
  }
  std::map<std::string, api::DroneStatus> statuses = statuses_;
  Status st = CommitSwarmLocked(next, [&]() -> Status {
    for (const auto& member : next.spec.drones) {
      api::DroneStatus& s = statuses[member.name];
      api::SetCondition(s.conditions,
                        {api::condition::kTreeSynced,
                         api::kFalse,
                         reconcilers::kResyncRequested,
                         "re-sync requested by swarmctl fresh",
                         {}},
                        now);
      s.consecutive_failures = 0;
      if (api::FindCondition(s.conditions, api::condition::kGrounded)) {
        api::SetCondition(s.conditions,
                          {api::condition::kGrounded, api::kFalse, api::reason::kFreshStart, "cleared by swarmctl fresh", {}},
                          now);
      }
      if (Status e = store_->PutDroneStatus(member.name, s); !e.ok()) return e;
    }
    if (Status e = store_->ReplacePackages({}); !e.ok()) return e;
    return RecordEventLocked(
        api::kKindSwarm, next.metadata.name, events::kNormal, events::kFreshStarted,
        "fresh start " + requested + ": " + std::to_string(next.spec.drones.size()) +
            " members re-sync, " + std::to_string(packages_.size()) +
            " queued packages discarded, groundings cleared");
  });
  if (!st.ok()) return st;
  statuses_ = std::move(statuses);
  DiscardEndedUploadsLocked(packages_.packages(), {});
  packages_.Replace({});
  ResetBinhostIndexLocked();
  unheld_builds_.clear();
  failing_alike_.Clear();
  remediation_pending_ = false;
  last_remediation_.reset();
  // Backoffs are reset and results of discoveries issued before the fresh
  // start are no longer wanted.
  for (auto& [name, acts] : actions_) {
    for (auto* s : acts.All()) {
      s->failures = 0;
      s->retry_at.reset();
    }
    acts.sync.forced = true;
    // A sync issued before the request does not count for it, nor does a
    // discovery: both are asked for again.
    acts.sync.in_flight.reset();
    acts.discover.in_flight.reset();
  }
  spdlog::info("fresh start {} set in motion", requested);
  return Status::Ok();
}

bool SwarmController::FreshPendingLocked() const {
  return !swarm_->status.observed_fresh_request.empty() &&
         swarm_->status.queue.tree_revision.empty();
}

Status SwarmController::SetQueueLocked(std::vector<api::Package> packages,
                                       const api::QueueSummary& stamp) {
  api::Swarm next = *swarm_;
  next.status.queue = reconcilers::SummarizeQueue(packages, stamp);
  Status st = CommitSwarmLocked(std::move(next), [&] { return store_->ReplacePackages(packages); });
  if (!st.ok()) return st;
  DiscardEndedUploadsLocked(packages_.packages(), packages);
  packages_.Replace(std::move(packages));
  ResetBinhostIndexLocked();
  return Status::Ok();
}

Status SwarmController::HandleDiscoveryLocked(const api::ActionResult& result,
                                              const api::Action& action) {
  const api::SwarmSpec& spec = swarm_->spec;
  if (!reconcilers::DiscoveryMatchesSpec(action, spec)) {
    // The spec moved while the drone was resolving: that queue is stale already.
    return RecordEventLocked(
        api::kKindSwarm, swarm_->metadata.name, events::kNormal, events::kDiscoveryDiscarded,
        "discarded a queue discovered against tree " + action.tree_revision + " and deploy " +
            action.deploy_version + ": the spec has moved on");
  }
  const bool fresh_pending = FreshPendingLocked();
  std::vector<api::Package> queue =
      reconcilers::BuildQueue(result.packages, spec.queue.packages, packages_.packages(), !fresh_pending,
                              action.tree_revision, action.deploy_version);
  int kept = 0;
  for (const auto& p : queue) kept += p.phase == api::kPhaseComplete;
  const size_t total = queue.size();
  if (Status s = SetQueueLocked(std::move(queue),
                                {action.tree_revision, action.deploy_version, action.queue_spec});
      !s.ok()) {
    return s;
  }
  spdlog::info("queue discovered: {} packages ({} already complete)", total, kept);
  {
    Changes changes;
    const bool remediated = FinishRemediationLocked(changes);
    // A fresh queue is a cause gone for every grounded drone.
    UngroundEveryoneLocked("the queue was discovered again", changes);
    if (Status s = CommitLocked(std::move(changes)); !s.ok()) return s;
    if (remediated) RemediationFinishedLocked();
  }
  return RecordEventLocked(
      api::kKindSwarm, swarm_->metadata.name, events::kNormal, events::kQueueDiscovered,
      "discovered " + std::to_string(total) + " packages on " + spec.queue.discover_on +
          " against tree " + action.tree_revision.substr(0, 12) + " and deploy " +
          action.deploy_version + " (" + std::to_string(kept) + " already complete and kept)");
}

Status SwarmController::ReconcileSwarmLocked(Duration* next) {
  if (!swarm_) return Status::Ok();
  if (Status s = ReclaimOrphanedBuildsLocked(); !s.ok()) return s;
  api::Condition queue_current;
  if (Status s = ReconcileQueueLocked(next, &queue_current); !s.ok()) return s;
  if (Status s = DispatchLocked(); !s.ok()) return s;

  api::QueueSummary summary = reconcilers::SummarizeQueue(packages_.packages(), swarm_->status.queue);
  api::SwarmStatus status = reconcilers::ReconcileSwarmStatus(
      *swarm_, DronesLocked(), queue_current, summary, clock_->Now());
  if (status == swarm_->status) {
    return Status::Ok();
  }
  const api::Condition* was = api::FindCondition(swarm_->status.conditions, api::condition::kQueueCurrent);
  const bool went_stale =
      was != nullptr && was->status == api::kTrue && queue_current.status != api::kTrue;
  api::Swarm updated = *swarm_;
  updated.status = std::move(status);
  return CommitSwarmLocked(std::move(updated), [&]() -> Status {
    if (!went_stale) return Status::Ok();
    return RecordEventLocked(api::kKindSwarm, swarm_->metadata.name, events::kWarning,
                             events::kQueueStale, queue_current.message);
  });
}

Status SwarmController::ReconcileQueueLocked(Duration* next, api::Condition* queue_current) {
  if (!swarm_) return Status::Ok();
  if (Status s = HandleFreshLocked(); !s.ok()) return s;
  if (Status s = WithdrawStaleAssignmentsLocked(); !s.ok()) return s;
  // A stored fault that is not Persistent is being remediated: level-triggered,
  // so a restart or a failed write picks it up again.
  if (const api::Condition* fault = api::FindCondition(swarm_->status.conditions, api::condition::kSystemicFault);
      fault != nullptr && fault->status == api::kTrue && fault->reason != api::reason::kPersistent) {
    remediation_pending_ = true;
  }
  // Stays valid while the queue and status are written (AdoptSwarmLocked).
  const api::SwarmSpec& spec = swarm_->spec;
  const SteadyTime steady = clock_->SteadyNow();
  const std::string discover_on = spec.queue.discover_on;

  reconcilers::Discoverer discoverer;
  if (const api::DroneSpec* member = RosterMemberLocked(discover_on)) {
    (void)member;
    // Judged from what the drone reports against the spec as it is now, not
    // from its conditions, which may still speak of the previous spec.
    const api::DroneStatus& ds = statuses_[discover_on];
    const DroneActions& acts = actions_[discover_on];
    const api::Condition* synced = api::FindCondition(ds.conditions, api::condition::kTreeSynced);
    const bool resync_owed = acts.sync.forced || acts.sync.in_flight ||
                             (synced != nullptr && synced->reason == reconcilers::kResyncRequested);
    discoverer = {true, api::IsConditionTrue(ds.conditions, api::condition::kReady), ds.deploy_version == spec.deploy.version,
                  ds.tree_revision == spec.portage.tree_revision && !resync_owed};
  }
  reconcilers::ActionState no_actions;
  reconcilers::ActionState& discover =
      discover_on.empty() ? no_actions : actions_[discover_on].discover;
  const bool fresh_pending = FreshPendingLocked();
  auto queue = reconcilers::ReconcileQueue(spec, swarm_->status.queue, fresh_pending, discoverer,
                                           discover, steady, remediation_pending_);
  if (queue.build_from_packages && remediation_pending_) {
    // Without a discoverer the remediation is the re-sync alone: done once
    // every Ready member has synced again (one that is away keeps its
    // ResyncRequested, which keeps work from it until it re-syncs).
    bool all_synced = true;
    for (const auto& member : spec.drones) {
      const api::DroneStatus& ds = statuses_[member.name];
      if (!api::IsConditionTrue(ds.conditions, api::condition::kReady)) continue;
      const DroneActions& acts = actions_[member.name];
      all_synced = all_synced && api::IsConditionTrue(ds.conditions, api::condition::kTreeSynced) && !acts.sync.forced &&
                   !acts.sync.in_flight;
    }
    if (!all_synced) queue.build_from_packages = false;
  }
  if (queue.build_from_packages) {
    if (remediation_pending_) {
      Changes changes;
      FinishRemediationLocked(changes);
      if (Status s = CommitLocked(std::move(changes)); !s.ok()) return s;
      RemediationFinishedLocked();
    }
    auto packages = reconcilers::BuildQueue({}, spec.queue.packages, packages_.packages(), !fresh_pending,
                                            spec.portage.tree_revision, spec.deploy.version);
    if (Status s =
            SetQueueLocked(std::move(packages), {spec.portage.tree_revision, spec.deploy.version,
                                                 reconcilers::QueueSpecDigest(spec.queue)});
        !s.ok()) {
      return s;
    }
    queue = reconcilers::ReconcileQueue(spec, swarm_->status.queue, false, discoverer, discover,
                                        steady, remediation_pending_);
  }
  if (queue.want_discover) {
    api::Action a = NewActionLocked(api::kActionDiscover);
    a.targets = spec.queue.targets;
    a.emerge_args = spec.queue.emerge_args;
    a.tree_revision = spec.portage.tree_revision;
    a.deploy_version = spec.deploy.version;
    a.queue_spec = reconcilers::QueueSpecDigest(spec.queue);
    discover.in_flight = a;
    if (Status s = RecordEventLocked(
            api::kKindSwarm, swarm_->metadata.name, events::kNormal, events::kDiscoveryIssued,
            "queue discovery asked of " + discover_on + " (" + queue.queue_current.reason + ")");
        !s.ok()) {
      return s;
    }
    queue = reconcilers::ReconcileQueue(spec, swarm_->status.queue, fresh_pending, discoverer,
                                        discover, steady, remediation_pending_);
  }
  Earliest(next, queue.requeue_after);
  dispatch_open_ = queue.queue_current.status == api::kTrue && !SystemicFaultLocked() &&
                   !remediation_pending_;
  if (queue_current != nullptr) *queue_current = std::move(queue.queue_current);
  return Status::Ok();
}

Status SwarmController::PutSwarmLocked(const api::Swarm& next) {
  // The generation moves with the spec: only then is the spec written.
  if (swarm_ && swarm_->metadata.generation == next.metadata.generation) {
    return store_->PutSwarmStatus(next);
  }
  return store_->PutSwarm(next);
}

Status SwarmController::CommitSwarmLocked(api::Swarm next, const std::function<Status()>& also) {
  ++next.metadata.resource_version;
  Status st = store_->Transaction([&]() -> Status {
    if (also) {
      if (Status s = also(); !s.ok()) return s;
    }
    return PutSwarmLocked(next);
  });
  if (!st.ok()) return st;
  AdoptSwarmLocked(std::move(next));
  return Status::Ok();
}

void SwarmController::AdoptSwarmLocked(api::Swarm next) {
  // The spec changes only with the generation (an apply); every other commit
  // brings metadata and status alone, and references to the spec stay valid.
  if (swarm_ && swarm_->metadata.generation == next.metadata.generation) {
    swarm_->metadata = std::move(next.metadata);
    swarm_->status = std::move(next.status);
    return;
  }
  swarm_ = std::move(next);
}

}  // namespace swarm::controller

// SwarmController's construction and its work queue: the keys, the
// swarm-wide pass, the per-drone look when a lease would lapse, the periodic
// binhost check, and the timer seam tests drive on a FakeClock (RunDue).

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/events.h"
#include "controller/core/swarm_controller.h"
#include "controller/reconcilers/queue.h"
#include "controller/reconcilers/swarm_status.h"

namespace swarm::controller {
namespace {

// Periodic resync: reconcilers run at least this often even when nothing
// woke them, so a lost wake-up never leaves the swarm unreconciled.
constexpr Duration kResyncPeriod{10000};

// Work-queue keys.
constexpr char kSwarmKey[] = "swarm";
constexpr char kDronePrefix[] = "drone/";
constexpr char kBinhostKey[] = "binhost";

// How long swarm-wide work waits for more of what woke it: every heartbeat,
// result and verb in that window is served by one pass.
constexpr Duration kSwarmPassDelay{100};
constexpr Duration kSwarmPassMaxDelay{5000};

std::unique_ptr<BinhostFollower> MakeFollower(const BuildOutputs& outputs, Clock* clock) {
  if (outputs.binhost == nullptr) return nullptr;
  return std::make_unique<BinhostFollower>(outputs.binhost, clock, outputs.index_debounce,
                                           outputs.index_thread);
}

}  // namespace

SwarmController::SwarmController(Store* store, Clock* clock, BuildOutputs outputs)
    : store_(store),
      clock_(clock),
      binhost_(MakeFollower(outputs, clock)),
      builds_(&state_, &writer_, clock, &faults_, binhost_.get(), outputs.log_dir),
      work_(clock),
      loop_(
          &work_, [this](const std::string& key) { return ReconcileKey(key); }, kResyncPeriod,
          [this] {
            std::lock_guard<std::mutex> l(mu_);
            return KeysLocked();
          }) {
  // What each commit changed reaches the binhost and the builds' leases.
  if (binhost_) writer_.AddListener(binhost_.get());
  writer_.AddListener(&builds_);
  writer_.AddListener(&metrics_);
  writer_.AddListener(&watch_);
}

SwarmController::~SwarmController() {
  loop_.Stop();
  std::unique_lock<std::mutex> l(mu_);
  loop_done_.wait(l, [this] { return !loop_running_; });
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

std::vector<std::string> SwarmController::KeysLocked() const {
  std::vector<std::string> keys = {kSwarmKey};
  if (state_.swarm) {
    for (const auto& d : state_.swarm->spec.drones) keys.push_back(kDronePrefix + d.name);
  }
  return keys;
}

void SwarmController::EnqueueLocked(const std::vector<std::string>& keys) {
  for (const auto& k : keys) work_.Add(k);
}

void SwarmController::ScheduleSwarmPassLocked() {
  // A pass over a large queue and roster holds the lock for a while: it runs
  // at most a tenth of the time, so requests always get the rest.
  const Duration delay = std::clamp(swarm_pass_cost_ * 10, kSwarmPassDelay, kSwarmPassMaxDelay);
  work_.AddAfter(kSwarmKey, delay);
}

void SwarmController::WatchLeaseLocked(const std::string& name) {
  if (!state_.swarm) return;
  // Keeps the earlier time when already scheduled: one look per grace, not per beat.
  work_.AddAfter(kDronePrefix + name, state_.swarm->spec.policy.heartbeat_grace + Duration(1));
}

void SwarmController::CheckBinhostEvery(Duration interval, int full_every) {
  {
    std::lock_guard<std::mutex> l(mu_);
    binhost_interval_ = interval;
    binhost_full_every_ = full_every;
  }
  if (interval > Duration(0)) work_.AddAfter(kBinhostKey, interval);
}

ReconcileOutcome SwarmController::ReconcileKey(const std::string& key) {
  // The binhost check requeues itself every interval; it is not one of the
  // keys the periodic resync adds, and a failed check waits for the next.
  if (key == kReleasesKey) {
    if (Status st = ReconcileReleases(); !st.ok()) spdlog::error("releases: {}", st.ToString());
    return ReconcileOutcome{Status::Ok(), std::nullopt};
  }
  if (key == kBinhostKey) {
    // Takes the lock only to list and to requeue: the hashing runs outside it.
    Duration interval;
    bool full;
    {
      std::lock_guard<std::mutex> l(mu_);
      interval = binhost_interval_;
      ++binhost_pass_;
      full = binhost_full_every_ > 0 && binhost_pass_ % binhost_full_every_ == 0;
    }
    auto n = VerifyBinhost(full);
    if (!n.ok()) spdlog::error("checking the binhost: {}", n.status().ToString());
    if (Status st = ReconcileReleases(); !st.ok()) {
      spdlog::error("releases: {}", st.ToString());
    }
    ReconcileOutcome out{Status::Ok(), std::nullopt};
    if (interval > Duration(0)) out.requeue_after = interval;
    return out;
  }
  std::lock_guard<std::mutex> l(mu_);
  Duration next = kResyncPeriod;
  Status st;
  // The metric measures on the real clock whatever clock decides.
  const auto measured = std::chrono::steady_clock::now();
  auto took = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - measured).count();
  };
  if (key == kSwarmKey) {
    const SteadyTime start = clock_->SteadyNow();
    st = ReconcileSwarmLocked(&next);
    swarm_pass_cost_ = std::chrono::duration_cast<Duration>(clock_->SteadyNow() - start);
    metrics_.ObservePass("swarm", took());
  } else if (key.starts_with(kDronePrefix)) {
    st = drones_.Reconcile(key.substr(std::string_view(kDronePrefix).size()), &next);
    metrics_.ObservePass("drone", took());
  }
  if (!st.ok()) spdlog::error("reconciling {}: {}", key, st.ToString());
  ReconcileOutcome out{st, std::nullopt};
  // The periodic resync covers the rest; a reconciler that needs to look
  // sooner (a lease expiring, a backoff ending) is requeued for then.
  if (next < kResyncPeriod) out.requeue_after = next;
  return out;
}

void SwarmController::RunLoop(int workers) {
  {
    std::lock_guard<std::mutex> l(mu_);
    loop_running_ = true;
  }
  loop_.Run(workers);
  std::lock_guard<std::mutex> l(mu_);
  loop_running_ = false;
  loop_done_.notify_all();
}

int SwarmController::RunDue() {
  work_.Tick();
  loop_.ResyncIfDue();
  return loop_.ProcessAllReady();
}

std::optional<SteadyTime> SwarmController::NextDueAt() const {
  if (work_.Len() > 0) return clock_->SteadyNow();
  std::optional<SteadyTime> next = work_.NextDelayedAt();
  std::optional<SteadyTime> resync = loop_.NextResyncAt();
  if (!next || (resync && *resync < *next)) next = resync;
  return next;
}

void SwarmController::Stop() { loop_.Stop(); }

Status SwarmController::ReconcileLocked(Duration* next) {
  if (!state_.swarm) return Status::Ok();
  for (const auto& d : state_.swarm->spec.drones) {
    if (Status s = drones_.Reconcile(d.name, next); !s.ok()) return s;
  }
  return ReconcileSwarmLocked(next);
}

Status SwarmController::ReconcileSwarmLocked(Duration* next) {
  if (!state_.swarm) return Status::Ok();
  if (Status s = builds_.ReclaimOrphans(); !s.ok()) return s;
  api::Condition queue_current;
  if (Status s = queue_.Reconcile(next, &queue_current); !s.ok()) return s;
  if (Status s = queue_.Dispatch(); !s.ok()) return s;

  const api::Swarm& swarm = *state_.swarm;
  api::QueueSummary summary =
      reconcilers::SummarizeQueue(state_.packages.packages(), swarm.status.queue);
  const std::vector<api::Drone> drones = DronesLocked();
  std::map<metrics::DroneKey, int> counts;
  for (const auto& d : drones) {
    const api::Condition* ready = api::FindCondition(d.status.conditions, api::condition::kReady);
    ++counts[metrics::DroneKey{ready ? ready->status : api::kUnknown, d.status.health,
                               api::IsConditionTrue(d.status.conditions, api::condition::kGrounded),
                               d.status.cordoned}];
  }
  metrics_.SetCounts(std::move(counts), summary);
  api::SwarmStatus status =
      reconcilers::ReconcileSwarmStatus(swarm, drones, queue_current, summary, clock_->Now());
  if (status == swarm.status) return Status::Ok();
  const api::Condition* was =
      api::FindCondition(swarm.status.conditions, api::condition::kQueueCurrent);
  const bool went_stale =
      was != nullptr && was->status == api::kTrue && queue_current.status != api::kTrue;
  // A queue built whole wants its release now, not at the next check.
  if (binhost_ && api::IsConditionTrue(status.conditions, api::condition::kQueueComplete) &&
      !api::IsConditionTrue(swarm.status.conditions, api::condition::kQueueComplete)) {
    work_.Add(kReleasesKey);
  }
  Changes changes;
  changes.Swarm(state_).status = std::move(status);
  if (went_stale) {
    changes.Event(api::kKindSwarm, swarm.metadata.name, api::events::kWarning, api::events::kQueueStale,
                  queue_current.message);
  }
  return writer_.Commit(std::move(changes));
}

}  // namespace swarm::controller

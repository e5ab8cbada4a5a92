#include "controller/core/reconcile_loop.h"

#include <algorithm>
#include <thread>

namespace swarm::controller {
namespace {

// Longest single wait of the resync thread; a re-check after it is harmless.
constexpr Duration kMaxResyncWait = std::chrono::hours(1);

}  // namespace

ReconcileLoop::ReconcileLoop(WorkQueue* queue, ReconcileHandler handler, Duration resync_period,
                             KeyLister list_keys)
    : queue_(queue),
      handler_(std::move(handler)),
      resync_period_(resync_period),
      list_keys_(std::move(list_keys)) {
  if (resync_period_ > Duration::zero()) next_resync_ = queue_->clock()->SteadyNow();
}

void ReconcileLoop::Process(const std::string& key) {
  ReconcileOutcome outcome = handler_(key);
  if (!outcome.status.ok()) {
    queue_->AddRateLimited(key);
  } else {
    queue_->Forget(key);
    if (outcome.requeue_after) queue_->AddAfter(key, *outcome.requeue_after);
  }
  queue_->Done(key);
}

bool ReconcileLoop::ProcessOne() {
  std::optional<std::string> key = queue_->TryGet();
  if (!key) return false;
  Process(*key);
  return true;
}

int ReconcileLoop::ProcessAllReady(int max_steps) {
  int n = 0;
  while (n < max_steps && ProcessOne()) ++n;
  return n;
}

bool ReconcileLoop::ResyncIfDue() {
  {
    std::lock_guard<std::mutex> l(mu_);
    SteadyTime now = queue_->clock()->SteadyNow();
    if (!next_resync_ || now < *next_resync_) return false;
    next_resync_ = now + resync_period_;
  }
  // Listed outside the lock: the lister may take locks of its own.
  for (const std::string& key : list_keys_()) queue_->Add(key);
  return true;
}

std::optional<SteadyTime> ReconcileLoop::NextResyncAt() const {
  std::lock_guard<std::mutex> l(mu_);
  return next_resync_;
}

void ReconcileLoop::Run(int workers) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stopped_) return;
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(workers, 1); ++i) {
    threads.emplace_back([this] {
      while (std::optional<std::string> key = queue_->Get()) Process(*key);
    });
  }
  for (;;) {
    ResyncIfDue();
    std::unique_lock<std::mutex> l(mu_);
    if (stopped_) break;
    Duration wait = kMaxResyncWait;
    if (next_resync_) {
      auto until_due =
          std::chrono::duration_cast<Duration>(*next_resync_ - queue_->clock()->SteadyNow());
      wait = std::clamp(until_due, Duration(1), kMaxResyncWait);
    }
    stop_cv_.wait_for(l, wait, [this] { return stopped_; });
    if (stopped_) break;
  }
  for (std::thread& t : threads) t.join();
}

void ReconcileLoop::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopped_ = true;
    stop_cv_.notify_all();
  }
  queue_->ShutDown();
}

}  // namespace swarm::controller

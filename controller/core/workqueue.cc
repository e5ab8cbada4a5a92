#include "controller/core/workqueue.h"

#include <algorithm>

namespace swarm::controller {
namespace {

// Longest single condition-variable wait; bounds the real-time deadline that
// libstdc++ computes from it, and a re-check after it is harmless.
constexpr Duration kMaxWait = std::chrono::hours(1);

// now + delay without overflowing past the clock's range.
SteadyTime DueAt(SteadyTime now, Duration delay) {
  if (delay >= std::chrono::duration_cast<Duration>(SteadyTime::max() - now)) {
    return SteadyTime::max();
  }
  return now + delay;
}

}  // namespace

WorkQueue::WorkQueue(Clock* clock, std::unique_ptr<RateLimiter> limiter)
    : clock_(clock), limiter_(limiter ? std::move(limiter) : NewControllerRateLimiter(clock)) {}

void WorkQueue::Add(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  if (shutting_down_) return;
  AddLocked(key);
}

void WorkQueue::AddLocked(const std::string& key) {
  if (!dirty_.insert(key).second) return;  // already ready or already marked dirty
  if (processing_.count(key)) return;      // Done() makes it ready
  ready_.push_back(key);
  cv_.notify_one();
}

void WorkQueue::AddAfter(const std::string& key, Duration delay) {
  std::lock_guard<std::mutex> l(mu_);
  if (shutting_down_) return;
  if (delay <= Duration::zero()) {
    AddLocked(key);
    return;
  }
  SteadyTime due = DueAt(clock_->SteadyNow(), delay);
  auto it = delayed_at_.find(key);
  if (it != delayed_at_.end()) {
    if (it->second <= due) return;
    delayed_.erase({it->second, key});
    it->second = due;
  } else {
    delayed_at_.emplace(key, due);
  }
  delayed_.emplace(due, key);
  // A new earliest deadline: waiters recompute how long to wait.
  if (delayed_.begin()->second == key) cv_.notify_all();
}

void WorkQueue::AddRateLimited(const std::string& key) {
  if (ShuttingDown()) return;
  AddAfter(key, limiter_->When(key));
}

void WorkQueue::Forget(const std::string& key) { limiter_->Forget(key); }

int WorkQueue::NumRequeues(const std::string& key) const { return limiter_->NumRequeues(key); }

int WorkQueue::PromoteDueLocked(SteadyTime now) {
  int promoted = 0;
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    std::string key = delayed_.begin()->second;
    delayed_.erase(delayed_.begin());
    delayed_at_.erase(key);
    AddLocked(key);
    ++promoted;
  }
  return promoted;
}

std::optional<std::string> WorkQueue::PopLocked() {
  if (ready_.empty()) return std::nullopt;
  std::string key = std::move(ready_.front());
  ready_.pop_front();
  processing_.insert(key);
  dirty_.erase(key);
  return key;
}

std::optional<std::string> WorkQueue::Get() {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    if (shutting_down_) return std::nullopt;
    SteadyTime now = clock_->SteadyNow();
    PromoteDueLocked(now);
    if (!ready_.empty()) return PopLocked();
    if (delayed_.empty()) {
      cv_.wait(l);
    } else {
      auto until_due = std::chrono::duration_cast<Duration>(delayed_.begin()->first - now);
      cv_.wait_for(l, std::clamp(until_due, Duration(1), kMaxWait));
    }
  }
}

std::optional<std::string> WorkQueue::TryGet() {
  std::lock_guard<std::mutex> l(mu_);
  if (shutting_down_) return std::nullopt;
  PromoteDueLocked(clock_->SteadyNow());
  return PopLocked();
}

void WorkQueue::Done(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  if (processing_.erase(key) == 0) return;
  if (dirty_.count(key) && !shutting_down_) {
    ready_.push_back(key);
    cv_.notify_one();
  }
}

int WorkQueue::Tick() {
  std::lock_guard<std::mutex> l(mu_);
  if (shutting_down_) return 0;
  int promoted = PromoteDueLocked(clock_->SteadyNow());
  cv_.notify_all();
  return promoted;
}

std::optional<SteadyTime> WorkQueue::NextDelayedAt() const {
  std::lock_guard<std::mutex> l(mu_);
  if (delayed_.empty()) return std::nullopt;
  return delayed_.begin()->first;
}

void WorkQueue::ShutDown() {
  std::lock_guard<std::mutex> l(mu_);
  shutting_down_ = true;
  delayed_.clear();
  delayed_at_.clear();
  cv_.notify_all();
}

bool WorkQueue::ShuttingDown() const {
  std::lock_guard<std::mutex> l(mu_);
  return shutting_down_;
}

size_t WorkQueue::Len() const {
  std::lock_guard<std::mutex> l(mu_);
  return ready_.size();
}

size_t WorkQueue::NumDelayed() const {
  std::lock_guard<std::mutex> l(mu_);
  return delayed_.size();
}

}  // namespace swarm::controller

#include "node-agent/action_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace swarm::agent {

ActionRunner::ActionRunner(ActionExecutor* executor, std::function<void()> on_finished)
    : executor_(executor), on_finished_(std::move(on_finished)) {}

ActionRunner::~ActionRunner() {
  Stop();
  if (worker_.joinable()) worker_.join();
}

void ActionRunner::Offer(const std::vector<api::Action>& wanted) {
  std::lock_guard<std::mutex> l(mu_);
  if (stopping_) return;
  std::set<std::string> wanted_ids;
  for (const auto& a : wanted) wanted_ids.insert(a.id);
  // A withdrawn action was never started, so forgetting it keeps "each id
  // starts at most once": should the controller list it again, it runs then.
  std::erase_if(queue_, [&](const api::Action& a) {
    if (wanted_ids.count(a.id)) return false;
    spdlog::info("action {} ({}) withdrawn by the controller before it started", a.id, a.type);
    return true;
  });
  bool queued = false;
  for (const auto& a : wanted) {
    bool held = (running_ && running_->id == a.id) ||
                std::any_of(queue_.begin(), queue_.end(),
                            [&](const api::Action& q) { return q.id == a.id; });
    if (held || started_.count(a.id)) continue;
    spdlog::info("action {} ({}) queued", a.id, a.type);
    queue_.push_back(a);
    queued = true;
  }
  if (queued) cv_.notify_all();
}

std::vector<api::ActionProgress> ActionRunner::Progress() const {
  std::lock_guard<std::mutex> l(mu_);
  return ProgressLocked();
}

std::vector<api::ActionResult> ActionRunner::TakeFinished() {
  std::lock_guard<std::mutex> l(mu_);
  return std::exchange(finished_, {});
}

ActionSnapshot ActionRunner::Collect() {
  std::lock_guard<std::mutex> l(mu_);
  return ActionSnapshot{ProgressLocked(), std::exchange(finished_, {})};
}

std::vector<api::ActionProgress> ActionRunner::ProgressLocked() const {
  std::vector<api::ActionProgress> out;
  if (running_) out.push_back({running_->id, running_->type, api::kActionRunning});
  for (const auto& a : queue_) out.push_back({a.id, a.type, api::kActionQueued});
  return out;
}

bool ActionRunner::RunNext() {
  api::Action next;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!TakeNextLocked(&next)) return false;
  }
  Finish(executor_->Execute(next));
  return true;
}

void ActionRunner::Start() {
  worker_ = std::thread([this] { WorkerLoop(); });
}

void ActionRunner::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (const auto& a : queue_) {
      spdlog::info("action {} ({}) not started: the agent is stopping", a.id, a.type);
    }
    queue_.clear();
  }
  cv_.notify_all();
}

bool ActionRunner::WaitStopped(Duration max) {
  if (!worker_.joinable()) return true;
  {
    std::unique_lock<std::mutex> l(mu_);
    if (!cv_.wait_for(l, max, [this] { return worker_done_; })) return false;
  }
  worker_.join();
  return true;
}

bool ActionRunner::TakeNextLocked(api::Action* next) {
  if (stopping_ || queue_.empty()) return false;
  *next = std::move(queue_.front());
  queue_.pop_front();
  running_ = *next;
  Remember(next->id);
  spdlog::info("action {} ({}) started", next->id, next->type);
  return true;
}

void ActionRunner::Finish(api::ActionResult result) {
  if (result.succeeded) {
    spdlog::info("action {} ({}) succeeded: {}", result.id, result.type, result.message);
  } else {
    spdlog::warn("action {} ({}) failed: {}", result.id, result.type, result.message);
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    running_.reset();
    finished_.push_back(std::move(result));
  }
  cv_.notify_all();
  if (on_finished_) on_finished_();
}

void ActionRunner::Remember(const std::string& id) {
  started_.insert(id);
  started_order_.push_back(id);
  if (started_order_.size() > kRememberedIds) {
    started_.erase(started_order_.front());
    started_order_.pop_front();
  }
}

void ActionRunner::WorkerLoop() {
  std::unique_lock<std::mutex> l(mu_);
  while (true) {
    cv_.wait(l, [this] { return stopping_ || !queue_.empty(); });
    api::Action next;
    if (!TakeNextLocked(&next)) break;  // stopping
    l.unlock();
    Finish(executor_->Execute(next));
    l.lock();
  }
  worker_done_ = true;
  cv_.notify_all();
}

}  // namespace swarm::agent

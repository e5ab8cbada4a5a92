#include "node-agent/build_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace swarm::agent {

BuildRunner::BuildRunner(BuildExecutor* executor, Clock* clock, std::function<void()> on_finished,
                         Spawn spawn)
    : executor_(executor),
      clock_(clock),
      on_finished_(std::move(on_finished)),
      spawn_(std::move(spawn)) {
  if (!spawn_) spawn_ = [this](std::function<void()> task) { StartThread(std::move(task)); };
}

BuildRunner::~BuildRunner() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
    for (auto& [id, e] : builds_) {
      e.held = false;
      e.cancel->Cancel();
    }
  }
  JoinThreads();
}

void BuildRunner::Offer(const std::vector<api::BuildAssignment>& wanted,
                        const std::string& refusal) {
  std::vector<std::string> to_start;
  bool returned = false;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stopping_) return;
    std::set<std::string> wanted_ids;
    for (const auto& a : wanted) wanted_ids.insert(a.id);
    for (auto& [id, e] : builds_) {
      if (!e.held || wanted_ids.count(id)) continue;
      spdlog::warn("build {} ({}) taken back by the controller: stopping it", id,
                   e.assignment.package);
      e.held = false;
      e.taken_back = true;
      e.cancel->Cancel();
    }
    for (const auto& a : wanted) {
      if (started_.count(a.id) || builds_.count(a.id)) continue;
      Remember(a.id);
      Entry e;
      e.assignment = a;
      if (!refusal.empty()) {
        spdlog::warn("build {} ({}) returned at once: {}", a.id, a.package, refusal);
        finished_.push_back(ReturnLocked(e, refusal));
        returned = true;
        continue;
      }
      spdlog::info("build {} ({}, attempt {}) starting", a.id, a.package, a.attempt);
      builds_.emplace(a.id, std::move(e));
      to_start.push_back(a.id);
    }
  }
  for (const auto& id : to_start) spawn_([this, id] { Run(id); });
  if (returned && on_finished_) on_finished_();
}

size_t BuildRunner::ReturnAll(const std::string& message) {
  std::lock_guard<std::mutex> l(mu_);
  size_t n = 0;
  for (auto& [id, e] : builds_) {
    if (!e.held) continue;
    spdlog::warn("build {} ({}) returned: {}", id, e.assignment.package, message);
    finished_.push_back(ReturnLocked(e, message));
    ++n;
  }
  return n;
}

FinishedBuild BuildRunner::ReturnLocked(Entry& e, const std::string& message) {
  FinishedBuild f;
  f.result.assignment = e.assignment.id;
  f.result.package = e.assignment.package;
  f.result.outcome = api::kBuildReturned;
  f.result.message = message;
  if (e.running) {
    f.result.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_->SteadyNow() - e.started)
            .count();
  }
  e.held = false;
  e.cancel->Cancel();
  return f;
}

std::vector<api::BuildProgress> BuildRunner::Progress() const {
  std::lock_guard<std::mutex> l(mu_);
  return ProgressLocked();
}

std::vector<FinishedBuild> BuildRunner::TakeFinished() {
  std::lock_guard<std::mutex> l(mu_);
  return std::exchange(finished_, {});
}

BuildSnapshot BuildRunner::Collect() {
  std::lock_guard<std::mutex> l(mu_);
  return BuildSnapshot{ProgressLocked(), std::exchange(finished_, {})};
}

std::vector<api::BuildProgress> BuildRunner::ProgressLocked() const {
  std::vector<api::BuildProgress> out;
  for (const auto& [id, e] : builds_) {
    if (!e.held) continue;
    out.push_back({id, e.assignment.package, e.running ? api::kActionRunning : api::kActionQueued});
  }
  for (const auto& f : finished_) {
    out.push_back({f.result.assignment, f.result.package, ReportState(f)});
  }
  return out;
}

void BuildRunner::Stop() {
  std::lock_guard<std::mutex> l(mu_);
  stopping_ = true;
}

bool BuildRunner::WaitIdle(Duration max) {
  {
    std::unique_lock<std::mutex> l(mu_);
    if (!cv_.wait_for(l, max, [this] { return builds_.empty(); })) return false;
  }
  // Every task is past its last use of the build table; its thread is ending.
  JoinThreads();
  return true;
}

void BuildRunner::Remember(const std::string& id) {
  started_.insert(id);
  started_order_.push_back(id);
  if (started_order_.size() > kRememberedIds) {
    started_.erase(started_order_.front());
    started_order_.pop_front();
  }
}

void BuildRunner::Run(const std::string& id) {
  api::BuildAssignment assignment;
  std::shared_ptr<CancelToken> cancel;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = builds_.find(id);
    if (it == builds_.end()) return;
    if (!it->second.held) {  // taken back before it began
      builds_.erase(it);
      cv_.notify_all();
      return;
    }
    it->second.running = true;
    it->second.started = clock_->SteadyNow();
    assignment = it->second.assignment;
    cancel = it->second.cancel;
  }
  FinishedBuild done = executor_->Execute(assignment, cancel);
  done.expected_ms = assignment.expected_ms;
  bool report = false;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = builds_.find(id);
    // A build that ended on its own just as it was taken back still reports:
    // the controller refuses it (409), and says so in the log of both.
    report = it != builds_.end() && !done.cancelled && (it->second.held || it->second.taken_back);
    if (report) {
      const auto& r = done.result;
      if (r.outcome == api::kBuildSucceeded) {
        spdlog::info("build {} ({}) succeeded in {}s: {}", id, r.package, r.duration_ms / 1000,
                     r.message);
      } else {
        spdlog::warn("build {} ({}) {} ({}{}): {}", id, r.package, r.outcome, r.failure_class,
                     r.phase.empty() ? "" : ", " + r.phase + " phase", r.message);
      }
      finished_.push_back(std::move(done));
    } else {
      spdlog::info("build {} ({}) stopped", id, assignment.package);
    }
    if (it != builds_.end()) builds_.erase(it);
  }
  cv_.notify_all();
  if (report && on_finished_) on_finished_();
}

void BuildRunner::StartThread(std::function<void()> task) {
  std::lock_guard<std::mutex> t(threads_mu_);
  // Threads whose task ended are joined here, so a long-lived agent does not
  // collect them; each recorded itself as done and is returning.
  for (uint64_t done : done_threads_) {
    auto it = threads_.find(done);
    if (it == threads_.end()) continue;
    it->second.join();
    threads_.erase(it);
  }
  done_threads_.clear();
  const uint64_t id = next_thread_++;
  threads_.emplace(id, std::thread([this, id, task = std::move(task)] {
                     task();
                     std::lock_guard<std::mutex> t(threads_mu_);
                     done_threads_.push_back(id);
                   }));
}

void BuildRunner::JoinThreads() {
  std::map<uint64_t, std::thread> threads;
  {
    std::lock_guard<std::mutex> t(threads_mu_);
    threads.swap(threads_);
  }
  // Not under threads_mu_: an ending thread takes it to record itself.
  for (auto& [id, thread] : threads) thread.join();
}

}  // namespace swarm::agent

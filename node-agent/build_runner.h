#pragma once

// Holds the builds the controller assigned to this drone and runs each on a
// thread of its own, away from the heartbeat loop: several at once (the
// controller assigns no more than the drone's slots), each for as long as
// emerge takes. Each assignment id starts at most once. A build the
// controller no longer lists is cancelled and forgotten; one that ends waits
// here until the agent takes it for delivery.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/protocol.h"
#include "api/types.h"
#include "base/clock.h"
#include "base/command_runner.h"
#include "node-agent/build_executor.h"

namespace swarm::agent {

// What the heartbeat reports and delivers, read in one step so that every
// build is in one of them.
struct BuildSnapshot {
  std::vector<api::BuildProgress> progress;  // as Progress()
  std::vector<FinishedBuild> finished;       // as TakeFinished()
};

// Thread safety: every method may be called from any thread.
class BuildRunner {
 public:
  // How many started ids are remembered so a re-offered id is not built
  // again. The controller lists an assignment only until its result arrives.
  static constexpr size_t kRememberedIds = 1024;

  // Runs `task` somewhere. The default starts a thread per task, joined by
  // the runner; a test may keep tasks and run them when it chooses.
  using Spawn = std::function<void(std::function<void()> task)>;

  // `executor` and `clock` are not owned and must outlive the runner.
  // `on_finished` runs (outside any lock) after a build ends with something
  // to report, and after Offer() returned builds: the agent uses it to send
  // the next heartbeat early.
  BuildRunner(BuildExecutor* executor, Clock* clock, std::function<void()> on_finished = {},
              Spawn spawn = {});
  // Cancels every build and joins the threads it started.
  ~BuildRunner();
  BuildRunner(const BuildRunner&) = delete;
  BuildRunner& operator=(const BuildRunner&) = delete;

  // The assignments one heartbeat reply lists. Ids never seen start now; or,
  // when `refusal` is not empty, end at once as Returned with it as message
  // (the drone takes no work). Held ids missing from `wanted` are cancelled
  // and forgotten: nothing is reported for a build the cancel stopped (one
  // that had ended on its own by then, or had ended and awaits delivery,
  // still reports, and the controller refuses it). Ignored after Stop().
  void Offer(const std::vector<api::BuildAssignment>& wanted, const std::string& refusal = "");

  // Cancels every held build and ends each as Returned with `message` and the
  // time it ran so far. Returns how many. Also after Stop().
  size_t ReturnAll(const std::string& message);

  // Every build held and not yet taken: Running once its executor runs,
  // Queued before; ended ones awaiting TakeFinished() as ReportState() says
  // (the controller must not think them lost before their report).
  std::vector<api::BuildProgress> Progress() const;

  // The builds that ended since the last call, oldest first.
  std::vector<FinishedBuild> TakeFinished();

  // Progress() and TakeFinished() under one lock.
  BuildSnapshot Collect();

  // Takes no more builds: Offer() is ignored from now on. Held builds go on
  // until ReturnAll() or their end.
  void Stop();

  // Waits up to `max` for every build thread to end, then joins them. True
  // when none is left.
  bool WaitIdle(Duration max);

 private:
  struct Entry {
    api::BuildAssignment assignment;
    std::shared_ptr<CancelToken> cancel = std::make_shared<CancelToken>();
    bool held = true;         // false once taken back or returned
    bool taken_back = false;  // by Offer(): an end the cancel did not cause reports
    bool running = false;     // the executor has it
    SteadyTime started{};
  };

  std::vector<api::BuildProgress> ProgressLocked() const;
  // Ends `e` as Returned with `message`; it stays until its thread is done.
  FinishedBuild ReturnLocked(Entry& e, const std::string& message);
  void Remember(const std::string& id);
  void Run(const std::string& id);
  void StartThread(std::function<void()> task);
  void JoinThreads();

  BuildExecutor* executor_;
  Clock* clock_;
  std::function<void()> on_finished_;
  Spawn spawn_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry> builds_;  // by id; cancelled ones until their task ends
  std::vector<FinishedBuild> finished_;
  std::set<std::string> started_;  // the last kRememberedIds started ids
  std::deque<std::string> started_order_;
  bool stopping_ = false;

  std::mutex threads_mu_;  // never taken together with mu_
  std::map<uint64_t, std::thread> threads_;
  std::vector<uint64_t> done_threads_;  // tasks ended: to join
  uint64_t next_thread_ = 0;
};

}  // namespace swarm::agent

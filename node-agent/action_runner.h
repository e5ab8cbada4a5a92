#pragma once

// Holds the actions the controller asks for and runs them one at a time, in
// the order first offered, away from the heartbeat loop: a sync may take many
// minutes and heartbeats must go on meanwhile. Each id is started at most
// once; results wait in the runner until the agent takes them for delivery.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/protocol.h"
#include "api/types.h"
#include "base/clock.h"
#include "node-agent/action_executor.h"

namespace swarm::agent {

// What the heartbeat reports and delivers, read in one step so that every
// action is in exactly one of them.
struct ActionSnapshot {
  std::vector<api::ActionProgress> progress;  // as Progress()
  std::vector<api::ActionResult> finished;    // as TakeFinished()
};

// Thread safety: every method may be called from any thread, except that
// Start() and WaitStopped() belong to the thread that owns the runner.
class ActionRunner {
 public:
  // How many started ids are remembered so a re-offered id is not run again.
  // The controller keeps listing an action only until its result arrives, so
  // a window much longer than the actions of a few minutes is plenty.
  static constexpr size_t kRememberedIds = 256;

  // `executor` is not owned and must outlive the runner. `on_finished` runs
  // (on the thread that ran the action, outside any lock) after each action
  // ends: the agent uses it to send the next heartbeat early.
  explicit ActionRunner(ActionExecutor* executor, std::function<void()> on_finished = {});
  // Stop()s and joins the worker, waiting for a running action to end.
  ~ActionRunner();
  ActionRunner(const ActionRunner&) = delete;
  ActionRunner& operator=(const ActionRunner&) = delete;

  // The actions the controller wants now, from one heartbeat reply. Ids never
  // seen are queued in the order given; ids queued, running or already started
  // are left alone; queued ids missing from `wanted` are dropped (the
  // controller no longer wants them; a running action finishes). Ignored
  // after Stop().
  void Offer(const std::vector<api::Action>& wanted);

  // The actions held and not finished, running one first: for the heartbeat.
  std::vector<api::ActionProgress> Progress() const;

  // Results of the actions that ended since the last call, oldest first.
  std::vector<api::ActionResult> TakeFinished();

  // Progress() and TakeFinished() under one lock.
  ActionSnapshot Collect();

  // Runs the first queued action on the calling thread; false when none is
  // queued (or after Stop()). For tests and for callers without a worker:
  // never while Start()'s worker runs, or two actions would run at once.
  bool RunNext();

  // Starts the worker thread that runs queued actions as they come.
  void Start();

  // Takes no more actions: the queue is emptied and the worker exits once the
  // running action (if any) ends. A running command is not killed. Prompt and
  // safe from a signal-handling thread.
  void Stop();

  // After Stop(): waits up to `max` for the worker to exit, then joins it.
  // False when an action is still running after `max` (the worker is then
  // left running and the runner must not be destroyed until it ends).
  bool WaitStopped(Duration max);

 private:
  std::vector<api::ActionProgress> ProgressLocked() const;
  // Moves the first queued action to running_; false when none or stopping.
  bool TakeNextLocked(api::Action* next);
  void Finish(api::ActionResult result);
  void Remember(const std::string& id);
  void WorkerLoop();

  ActionExecutor* executor_;
  std::function<void()> on_finished_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<api::Action> queue_;
  std::optional<api::Action> running_;
  std::vector<api::ActionResult> finished_;
  std::set<std::string> started_;  // the last kRememberedIds started ids
  std::deque<std::string> started_order_;
  bool stopping_ = false;
  bool worker_done_ = false;
  std::thread worker_;
};

}  // namespace swarm::agent

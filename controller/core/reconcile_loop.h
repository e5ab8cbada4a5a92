#pragma once

// Drives reconcilers from a WorkQueue the way Kubernetes controllers do: a
// failed key is retried with backoff, a succeeded key's backoff is forgotten
// and it is requeued if the reconciler asked, and every key is re-added each
// resync period so the system converges even when an event was lost.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "controller/core/workqueue.h"

namespace swarm::controller {

// What one reconcile of a key decided.
struct ReconcileOutcome {
  Status status;                          // not ok: retried with rate-limited backoff
  std::optional<Duration> requeue_after;  // on ok: reconcile again after this long
};

using ReconcileHandler = std::function<ReconcileOutcome(const std::string& key)>;
using KeyLister = std::function<std::vector<std::string>()>;

// Thread safety: every public method is safe to call from any thread; Run()
// calls the handler from several threads, never twice at once for one key.
class ReconcileLoop {
 public:
  // `queue` must outlive the loop; time comes from queue->clock(). The first
  // resync is due at once (a fresh loop has seen no events), then every
  // `resync_period` after the previous one; a period <= 0 disables resync.
  ReconcileLoop(WorkQueue* queue, ReconcileHandler handler, Duration resync_period,
                KeyLister list_keys);
  ReconcileLoop(const ReconcileLoop&) = delete;
  ReconcileLoop& operator=(const ReconcileLoop&) = delete;

  // Starts `workers` threads (at least 1) taking keys with WorkQueue::Get(),
  // and resyncs on the calling thread; blocks until Stop(), then joins the
  // workers, each finishing the key it holds. Returns at once if already stopped.
  void Run(int workers);
  // Ends Run() and shuts the queue down (a stopped loop is not restarted).
  void Stop();

  // Takes one ready key if any (WorkQueue::TryGet), reconciles it and applies
  // the outcome. Returns whether a key was processed. Never blocks.
  bool ProcessOne();
  // ProcessOne() until no key is ready, at most `max_steps` times so a handler
  // that always requeues with no delay cannot spin forever. Returns the count.
  int ProcessAllReady(int max_steps = 10000);
  // Adds every listed key if the resync is due by the Clock and schedules the
  // next one. Returns whether it resynced.
  bool ResyncIfDue();
  // When the next resync is due, or nullopt if resync is disabled.
  std::optional<SteadyTime> NextResyncAt() const;

 private:
  void Process(const std::string& key);

  WorkQueue* const queue_;
  const ReconcileHandler handler_;
  const Duration resync_period_;
  const KeyLister list_keys_;

  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopped_ = false;
  std::optional<SteadyTime> next_resync_;
};

}  // namespace swarm::controller

#pragma once

// The queue of object keys ("swarm", "drone/drone-izar") that reconcilers
// work through, with the guarantees of Kubernetes' client-go workqueue:
//  - a key waits at most once: adding a waiting key does nothing;
//  - a key is handed to one worker at a time: adding it while it is being
//    processed marks it dirty, and Done() puts it back once;
//  - keys can be added later (AddAfter) or after a rate-limited backoff
//    (AddRateLimited), measured on the injected Clock.
// Delayed keys are promoted when a reader looks (Get, TryGet, Tick), so a test
// on a FakeClock advances the clock and calls TryGet(), and never sleeps.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "base/clock.h"
#include "controller/core/rate_limiter.h"

namespace swarm::controller {

// Thread safety: every public method is safe to call from any thread; one
// mutex guards the state and a condition variable wakes blocked Get() callers.
class WorkQueue {
 public:
  // `clock` must outlive the queue. A null `limiter` means
  // NewControllerRateLimiter(clock) with default options.
  explicit WorkQueue(Clock* clock, std::unique_ptr<RateLimiter> limiter = nullptr);
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Makes `key` ready. Does nothing if it is already ready, or after ShutDown().
  // If `key` is being processed it is marked dirty and becomes ready at Done().
  void Add(const std::string& key);
  // Add(key) once the Clock reaches now + delay; delay <= 0 adds at once. A key
  // already scheduled keeps the earlier of its two times. Independent of the
  // ready set: a key may be both ready now and scheduled for later.
  void AddAfter(const std::string& key, Duration delay);
  // AddAfter(key, limiter's When(key)): counts one more requeue of `key`.
  void AddRateLimited(const std::string& key);
  // Resets `key`'s backoff; call after it was processed successfully. Does not
  // remove `key` from the queue.
  void Forget(const std::string& key);
  // Rate-limited adds of `key` since it was last forgotten.
  int NumRequeues(const std::string& key) const;

  // Blocks until a key is ready and returns it, now marked as processing; the
  // caller must call Done(key) afterwards. Returns nullopt once ShutDown() was
  // called (at once, even if keys are still ready). While only delayed keys
  // remain it waits in real time until the earliest is due by the Clock; with a
  // FakeClock, call Tick() after advancing it to wake the waiters.
  std::optional<std::string> Get();
  // Like Get() but never blocks: promotes due delayed keys, then returns a
  // ready key (marked as processing) or nullopt if none is ready or shut down.
  std::optional<std::string> TryGet();
  // Ends processing of `key`; if it was added meanwhile it becomes ready again.
  // Does nothing for a key that is not being processed.
  void Done(const std::string& key);

  // Promotes delayed keys that are due by the Clock and wakes blocked Get()
  // callers so they re-read the Clock. Returns how many keys became ready.
  int Tick();
  // When the earliest delayed key is due, or nullopt if none is scheduled.
  std::optional<SteadyTime> NextDelayedAt() const;

  // Makes Get()/TryGet() return nullopt from now on, drops delayed keys and
  // ignores later adds. Keys being processed may still be passed to Done().
  void ShutDown();
  bool ShuttingDown() const;

  // Ready keys (not counting those being processed or delayed).
  size_t Len() const;
  // Keys scheduled by AddAfter/AddRateLimited that are not yet due.
  size_t NumDelayed() const;

  Clock* clock() const { return clock_; }

 private:
  void AddLocked(const std::string& key);
  int PromoteDueLocked(SteadyTime now);
  std::optional<std::string> PopLocked();

  Clock* const clock_;
  const std::unique_ptr<RateLimiter> limiter_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool shutting_down_ = false;
  std::deque<std::string> ready_;  // FIFO of ready keys; each appears once
  std::set<std::string> dirty_;    // keys that need processing (ready or pending Done)
  std::set<std::string> processing_;
  std::map<std::string, SteadyTime> delayed_at_;          // key -> when it is due
  std::set<std::pair<SteadyTime, std::string>> delayed_;  // ordered by due time
};

}  // namespace swarm::controller

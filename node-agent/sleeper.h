#pragma once

// The agent's only wait between heartbeats goes through Sleeper, so tests run
// loop iterations without sleeping, a stop request ends a wait at once, and a
// finished action brings the next heartbeat forward.

#include <condition_variable>
#include <mutex>

#include "base/clock.h"

namespace swarm::agent {

// Thread safety: Interrupt() and Wake() may be called from any thread while
// another thread sleeps.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits `d`. True when it elapsed or Wake() cut it short; false as soon as
  // Interrupt() has been called, during or before the wait.
  virtual bool SleepFor(Duration d) = 0;
  // Ends the current wait and makes every later SleepFor() return false at once.
  virtual void Interrupt() = 0;
  // Ends the current wait early, or the next one when none is under way (a
  // wake-up between two waits is not lost). Later waits are unaffected.
  virtual void Wake() = 0;
};

// Waits on a condition variable with a timeout.
class InterruptibleSleeper final : public Sleeper {
 public:
  bool SleepFor(Duration d) override;
  void Interrupt() override;
  void Wake() override;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool interrupted_ = false;
  bool woken_ = false;
};

}  // namespace swarm::agent

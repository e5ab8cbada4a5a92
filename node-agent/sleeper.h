#pragma once

// The agent's only wait between heartbeats goes through Sleeper, so tests run
// loop iterations without sleeping and a stop request ends a wait at once.

#include <condition_variable>
#include <mutex>

#include "base/clock.h"

namespace swarm::agent {

// Thread safety: Interrupt() may be called from any thread while another
// thread sleeps.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits `d`. True when it elapsed; false as soon as Interrupt() has been
  // called, during or before the wait.
  virtual bool SleepFor(Duration d) = 0;
  // Ends the current wait and makes every later SleepFor() return false at once.
  virtual void Interrupt() = 0;
};

// Waits on a condition variable with a timeout.
class InterruptibleSleeper final : public Sleeper {
 public:
  bool SleepFor(Duration d) override;
  void Interrupt() override;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool interrupted_ = false;
};

}  // namespace swarm::agent

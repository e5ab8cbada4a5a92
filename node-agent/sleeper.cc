#include "node-agent/sleeper.h"

namespace swarm::agent {

bool InterruptibleSleeper::SleepFor(Duration d) {
  std::unique_lock<std::mutex> l(mu_);
  // The predicate absorbs spurious wake-ups and an Interrupt() that came first.
  return !cv_.wait_for(l, d, [this] { return interrupted_; });
}

void InterruptibleSleeper::Interrupt() {
  {
    std::lock_guard<std::mutex> l(mu_);
    interrupted_ = true;
  }
  cv_.notify_all();
}

}  // namespace swarm::agent

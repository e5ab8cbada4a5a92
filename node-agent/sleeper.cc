#include "node-agent/sleeper.h"

namespace swarm::agent {

bool InterruptibleSleeper::SleepFor(Duration d) {
  std::unique_lock<std::mutex> l(mu_);
  // The predicate absorbs spurious wake-ups and an Interrupt() or Wake() that
  // came first.
  cv_.wait_for(l, d, [this] { return interrupted_ || woken_; });
  woken_ = false;
  return !interrupted_;
}

void InterruptibleSleeper::Interrupt() {
  {
    std::lock_guard<std::mutex> l(mu_);
    interrupted_ = true;
  }
  cv_.notify_all();
}

void InterruptibleSleeper::Wake() {
  {
    std::lock_guard<std::mutex> l(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

}  // namespace swarm::agent

#pragma once

// A Sleeper that records the waits instead of waiting.

#include <atomic>
#include <functional>
#include <vector>

#include "node-agent/sleeper.h"

namespace swarm::agent::testing {

class FakeSleeper final : public Sleeper {
 public:
  // `after_sleep` runs after each recorded wait; it may stop the agent.
  bool SleepFor(Duration d) override {
    waits.push_back(d);
    if (after_sleep) after_sleep();
    return !interrupted_;
  }
  void Interrupt() override { interrupted_ = true; }
  void Wake() override { ++wakes; }  // also from an agent's report thread

  std::vector<Duration> waits;
  std::function<void()> after_sleep;
  std::atomic<int> wakes{0};

 private:
  bool interrupted_ = false;
};

}  // namespace swarm::agent::testing

#pragma once

// Time is an injected dependency: the controller's reconcilers and the agent's
// health machine read it only through Clock, so tests drive it with FakeClock
// instead of sleeping on the wall clock.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "base/status.h"

namespace swarm {

using WallTime = std::chrono::system_clock::time_point;
using SteadyTime = std::chrono::steady_clock::time_point;
using Duration = std::chrono::milliseconds;

// Thread safety: implementations are safe to call from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  // Wall time, for timestamps people read (lastTransitionTime, events).
  virtual WallTime Now() const = 0;
  // Monotonic time, for leases and intervals; never jumps backwards.
  virtual SteadyTime SteadyNow() const = 0;
};

// The real clocks of the machine.
class SystemClock final : public Clock {
 public:
  WallTime Now() const override { return std::chrono::system_clock::now(); }
  SteadyTime SteadyNow() const override { return std::chrono::steady_clock::now(); }
  // A process-wide instance; never destroyed.
  static SystemClock* Get();
};

// A clock that moves only when told to; both readings advance together.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime start = WallTime(std::chrono::hours(24 * 365 * 56)))
      : wall_(start) {}
  WallTime Now() const override {
    std::lock_guard<std::mutex> l(mu_);
    return wall_;
  }
  SteadyTime SteadyNow() const override {
    std::lock_guard<std::mutex> l(mu_);
    return steady_;
  }
  void Advance(Duration d) {
    std::lock_guard<std::mutex> l(mu_);
    wall_ += d;
    steady_ += d;
  }

 private:
  mutable std::mutex mu_;
  WallTime wall_;
  SteadyTime steady_{std::chrono::hours(1)};
};

// Lowers `*next` to `d` when `d` is set and sooner: the earliest of the
// times several reconcilers ask to be looked at again.
inline void Earliest(Duration* next, std::optional<Duration> d) {
  if (d && *d < *next) *next = *d;
}

// RFC 3339 in UTC with second precision: "2026-02-05T10:30:00Z".
std::string FormatTime(WallTime t);
// Parses what FormatTime writes (also accepts fractional seconds, "Z" only).
Result<WallTime> ParseTime(const std::string& s);

}  // namespace swarm

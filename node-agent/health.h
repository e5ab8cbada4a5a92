#pragma once

// The drone's own view of its health: a state machine fed with each probe (and
// the health policy the controller sends with every heartbeat reply), with the
// builds the drone finished, and with the outcome of the self-check it asks
// for. Pure: time is passed in, nothing sleeps, nothing runs; the agent runs
// hooks.selfCheck when a verdict asks for it and feeds the result back.
//
//   HEALTHY ──[warning thresholds]──> DEGRADED
//   DEGRADED ──[continued degradation]──> CRITICAL
//   CRITICAL ──[conditions improve]──> RECOVERING
//   RECOVERING ──[self-check passes]──> HEALTHY
//
// | from         | to         | when                                                            |
// |--------------|------------|-----------------------------------------------------------------|
// | HEALTHY      | DEGRADED   | memory >= memoryDegradedPercent or disk >= diskDegradedPercent, |
// |              |            | or the last 3 timed successes each took over 2x their expected  |
// |              |            | time (until kSlowBuildsHold after the last of them)             |
// | DEGRADED     | HEALTHY    | none of those holds any more                                    |
// | DEGRADED     | CRITICAL   | memory or disk at or past its critical level (the higher of     |
// |              |            | kCriticalPercent and its degraded threshold) for a probeInterval|
// | not CRITICAL | CRITICAL   | an OOM kill, or kCriticalAfterDroneFailures DroneResources      |
// |              |            | failures in a row                                               |
// | CRITICAL     | RECOVERING | a probe under both degraded thresholds, a probeInterval or      |
// |              |            | more after the last trouble (entering CRITICAL, an OOM kill,    |
// |              |            | a DroneResources failure); asks for a self-check                |
// | RECOVERING   | HEALTHY    | RecordSelfCheck(ok)                                             |
// | RECOVERING   | RECOVERING | RecordSelfCheck(failed): asks again kSelfCheckBackoff later     |
// | RECOVERING   | CRITICAL   | memory or disk past its degraded threshold, or an OOM kill      |
//
// Only DroneResources failures count: Package, Systemic and Fetch failures are
// not the drone's fault and neither count nor break the run; a success ends
// it. Entering CRITICAL forgets the build history (the failure run, the slow
// builds): the reason keeps the evidence and the self-check sets a new baseline.

#include <deque>
#include <optional>
#include <string>

#include "api/types.h"
#include "base/clock.h"

namespace swarm::agent {

enum class HealthState { kHealthy, kDegraded, kCritical, kRecovering };

// "HEALTHY", "DEGRADED", "CRITICAL", "RECOVERING": the wire names.
const char* HealthStateName(HealthState s);

struct HealthVerdict {
  HealthState state = HealthState::kHealthy;
  // Why, for people: "memory 91% >= 85%", "OOM kill while building
  // dev-qt/qtwebengine-6.8.1"; empty while healthy.
  std::string reason;
  // When the drone entered `state` (steady clock); a later transition's timer.
  SteadyTime since{};
  // RECOVERING and a self-check is due: the agent runs hooks.selfCheck (tree
  // revision, disk, `emerge --info`) unless one is already running, and
  // reports it with HealthMonitor::RecordSelfCheck().
  bool want_self_check = false;

  // Only a HEALTHY drone takes new work; a DEGRADED one finishes what it runs.
  bool accepts_work() const { return state == HealthState::kHealthy; }
  // CRITICAL: the agent stops and returns every unfinished build with
  // `reason`. True for as long as the state lasts, not just the verdict that
  // entered it, so an agent that restarts mid-CRITICAL still returns its
  // work; returning with nothing held is a no-op.
  bool must_return_work() const { return state == HealthState::kCritical; }
};

// A build the drone finished, successfully or not.
struct BuildOutcome {
  std::string atom;  // "dev-qt/qtwebengine-6.8.1", for the reason
  Duration took{0};  // how long it ran
  // How long it should take; zero: unknown. Only successes with one are timed:
  // a failure's run time says nothing about the drone's speed.
  Duration expected{0};
  bool succeeded = false;
  // On failure: "DroneResources", "Package", "Systemic" or "Fetch".
  std::string failure_class;
  std::string failure_reason;  // one line, optional: "No space left on device"
  bool oom_killed = false;     // the kernel's OOM killer ended it
};

// The policy in force before the first heartbeat reply: the documented
// defaults (memory 85%, disk 90%).
api::HealthPolicy DefaultHealthPolicy();

// Thread safety: not thread-safe; the agent's loop owns it.
class HealthMonitor {
 public:
  // Memory or disk at or past this (or its degraded threshold, if higher) is
  // critical once it lasts a probe interval.
  static constexpr int kCriticalPercent = 95;
  // DroneResources failures in a row that make the drone CRITICAL.
  static constexpr int kCriticalAfterDroneFailures = 3;
  // Timed builds in a row over kSlowFactor times their expected time that make
  // the drone DEGRADED.
  static constexpr int kSlowBuilds = 3;
  static constexpr int kSlowFactor = 2;
  // How long slow builds keep the drone DEGRADED after the last of them: a
  // DEGRADED drone gets no new builds to prove itself with, so the evidence
  // ages out; one more slow build then degrades it again, a normal one clears.
  static constexpr Duration kSlowBuildsHold = std::chrono::minutes(10);
  // The wait before asking again after a failed self-check.
  static constexpr Duration kSelfCheckBackoff = std::chrono::minutes(1);

  HealthMonitor() = default;

  // Takes one probe under `policy` at `now` and returns the state it leads to.
  // Idempotent: the same probe, policy and `now` again change nothing.
  HealthVerdict Observe(const api::Resources& probe, const api::HealthPolicy& policy,
                        SteadyTime now);

  // Records a build that ended at `now` and returns the state it leads to,
  // judged against the last probe (none yet: an idle drone, default policy).
  HealthVerdict RecordBuild(const BuildOutcome& build, SteadyTime now);

  // Reports the self-check a verdict asked for. `reason` says what failed
  // ("tree revision 1a2b != 9fc7"). Ignored unless RECOVERING.
  HealthVerdict RecordSelfCheck(bool ok, const std::string& reason, SteadyTime now);

  // The last verdict; HEALTHY before the first call.
  const HealthVerdict& current() const { return current_; }

 private:
  struct TimedBuild {
    bool slow = false;
    SteadyTime at{};
  };

  // Applies the level-triggered transitions to the facts held at `now`.
  void Settle(SteadyTime now);
  void SetState(HealthState next, std::string reason, SteadyTime now);
  void EnterCritical(std::string reason, SteadyTime now);
  // "last 3 builds took over 2x their expected time", or empty.
  std::string SlowBuildsReason(SteadyTime now) const;
  // "memory 97% >= 95% for 15s" once critical for a probe interval, or empty.
  std::string CriticalReason(SteadyTime now) const;

  HealthVerdict current_;
  bool observed_ = false;  // `since` is set by the first call, whatever it is
  api::Resources probe_;
  api::HealthPolicy policy_ = DefaultHealthPolicy();
  std::optional<SteadyTime> critical_since_;  // first probe of the current critical run
  int drone_failures_ = 0;                    // DroneResources failures in a row
  std::deque<TimedBuild> timed_builds_;       // the last kSlowBuilds timed successes
  SteadyTime last_trouble_{};                 // CRITICAL's quiet period starts here
  std::string critical_reason_;               // what RECOVERING recovers from
  SteadyTime next_self_check_{};
};

// "91%" or "91.4%": one decimal, dropped when zero.
std::string FormatPercent(double p);

}  // namespace swarm::agent

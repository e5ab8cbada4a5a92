#include "node-agent/health.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "api/quantity.h"

namespace swarm::agent {
namespace {

// The failure class that is the drone's own fault (api::PackageFailure's name).
constexpr char kDroneResources[] = "DroneResources";

// Appends "<what> <used>% >= <limit>%" when `used` is at or past `limit`.
void CheckThreshold(const char* what, double used, int limit, std::string* reason) {
  if (used < limit) return;
  if (!reason->empty()) *reason += ", ";
  *reason += std::string(what) + " " + FormatPercent(used) + " >= " + std::to_string(limit) + "%";
}

// Never below the degraded threshold, so a drone is DEGRADED before CRITICAL.
int CriticalLimit(int degraded_limit) {
  return std::max(HealthMonitor::kCriticalPercent, degraded_limit);
}

// "memory 91% >= 85%, disk 95% >= 90%", or empty when both are under.
std::string DegradedReason(const api::Resources& probe, const api::HealthPolicy& policy) {
  std::string reason;
  CheckThreshold("memory", probe.memory_used_percent, policy.memory_degraded_percent, &reason);
  CheckThreshold("disk", probe.disk_used_percent, policy.disk_degraded_percent, &reason);
  return reason;
}

bool PastCritical(const api::Resources& probe, const api::HealthPolicy& policy) {
  return probe.memory_used_percent >= CriticalLimit(policy.memory_degraded_percent) ||
         probe.disk_used_percent >= CriticalLimit(policy.disk_degraded_percent);
}

std::string JoinReasons(std::string a, const std::string& b) {
  if (a.empty()) return b;
  if (!b.empty()) a += ", " + b;
  return a;
}

}  // namespace

const char* HealthStateName(HealthState s) {
  switch (s) {
    case HealthState::kHealthy:
      return "HEALTHY";
    case HealthState::kDegraded:
      return "DEGRADED";
    case HealthState::kCritical:
      return "CRITICAL";
    case HealthState::kRecovering:
      return "RECOVERING";
  }
  return "UNKNOWN";
}

api::HealthPolicy DefaultHealthPolicy() { return api::HealthPolicy{}; }

std::string FormatPercent(double p) {
  // Truncate, not round, so a value just under a limit never prints as the limit.
  double tenths = std::floor(p * 10.0 + 1e-9) / 10.0;
  char buf[32];
  if (tenths == std::floor(tenths)) {
    std::snprintf(buf, sizeof buf, "%.0f%%", tenths);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f%%", tenths);
  }
  return buf;
}

HealthVerdict HealthMonitor::Observe(const api::Resources& probe, const api::HealthPolicy& policy,
                                     SteadyTime now) {
  probe_ = probe;
  policy_ = policy;
  if (!PastCritical(probe_, policy_)) {
    critical_since_.reset();
  } else if (!critical_since_) {
    critical_since_ = now;
  }
  Settle(now);
  return current_;
}

HealthVerdict HealthMonitor::RecordBuild(const BuildOutcome& build, SteadyTime now) {
  if (build.oom_killed) {
    EnterCritical("OOM kill" + (build.atom.empty() ? "" : " while building " + build.atom), now);
  } else if (build.succeeded) {
    drone_failures_ = 0;
    if (build.expected > Duration::zero()) {
      timed_builds_.push_back({build.took > build.expected * kSlowFactor, now});
      if (timed_builds_.size() > static_cast<size_t>(kSlowBuilds)) timed_builds_.pop_front();
    }
  } else if (build.failure_class == kDroneResources) {
    // Package, Systemic and Fetch failures say nothing about this drone.
    ++drone_failures_;
    if (current_.state == HealthState::kCritical) {
      last_trouble_ = now;
    } else if (drone_failures_ >= kCriticalAfterDroneFailures) {
      std::string reason =
          std::to_string(drone_failures_) + " " + kDroneResources + " failures in a row";
      if (!build.atom.empty()) reason += ", the last building " + build.atom;
      if (!build.failure_reason.empty()) reason += ": " + build.failure_reason;
      EnterCritical(std::move(reason), now);
    }
  }
  Settle(now);
  return current_;
}

HealthVerdict HealthMonitor::RecordSelfCheck(bool ok, const std::string& reason, SteadyTime now) {
  if (current_.state != HealthState::kRecovering) return current_;
  if (ok) {
    SetState(HealthState::kHealthy, "", now);
  } else {
    SetState(HealthState::kRecovering,
             "self-check failed: " + (reason.empty() ? std::string("no reason given") : reason),
             now);
    next_self_check_ = now + kSelfCheckBackoff;
  }
  Settle(now);
  return current_;
}

void HealthMonitor::Settle(SteadyTime now) {
  const std::string pressure = DegradedReason(probe_, policy_);
  switch (current_.state) {
    case HealthState::kHealthy:
    case HealthState::kDegraded: {
      if (std::string critical = CriticalReason(now); !critical.empty()) {
        EnterCritical(std::move(critical), now);
        break;
      }
      std::string reason = JoinReasons(pressure, SlowBuildsReason(now));
      const HealthState next = reason.empty() ? HealthState::kHealthy : HealthState::kDegraded;
      SetState(next, std::move(reason), now);
      break;
    }
    case HealthState::kCritical:
      if (pressure.empty() && now - last_trouble_ >= policy_.probe_interval) {
        SetState(HealthState::kRecovering, "self-check pending after: " + critical_reason_, now);
        next_self_check_ = now;
      }
      break;
    case HealthState::kRecovering:
      if (!pressure.empty()) EnterCritical(pressure + " while recovering", now);
      break;
  }
  current_.want_self_check = current_.state == HealthState::kRecovering && now >= next_self_check_;
}

void HealthMonitor::SetState(HealthState next, std::string reason, SteadyTime now) {
  if (!observed_ || next != current_.state) current_.since = now;
  observed_ = true;
  current_.state = next;
  current_.reason = std::move(reason);
}

void HealthMonitor::EnterCritical(std::string reason, SteadyTime now) {
  last_trouble_ = now;
  drone_failures_ = 0;
  timed_builds_.clear();
  critical_reason_ = reason;
  SetState(HealthState::kCritical, std::move(reason), now);
}

std::string HealthMonitor::SlowBuildsReason(SteadyTime now) const {
  if (timed_builds_.size() < static_cast<size_t>(kSlowBuilds)) return "";
  for (const auto& b : timed_builds_) {
    if (!b.slow) return "";
  }
  if (now - timed_builds_.back().at >= kSlowBuildsHold) return "";
  return "last " + std::to_string(kSlowBuilds) + " builds took over " +
         std::to_string(kSlowFactor) + "x their expected time";
}

std::string HealthMonitor::CriticalReason(SteadyTime now) const {
  if (!critical_since_) return "";
  const Duration lasted = std::chrono::duration_cast<Duration>(now - *critical_since_);
  if (lasted < policy_.probe_interval) return "";
  std::string reason;
  CheckThreshold("memory", probe_.memory_used_percent,
                 CriticalLimit(policy_.memory_degraded_percent), &reason);
  CheckThreshold("disk", probe_.disk_used_percent, CriticalLimit(policy_.disk_degraded_percent),
                 &reason);
  return reason + " for " + api::FormatDuration(lasted);
}

}  // namespace swarm::agent

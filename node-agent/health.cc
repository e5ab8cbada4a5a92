#include "node-agent/health.h"

#include <cmath>
#include <cstdio>

namespace swarm::agent {
namespace {

// Appends "<what> <used>% >= <limit>%" when `used` is at or past `limit`.
void CheckThreshold(const char* what, double used, int limit, std::string* reason) {
  if (used < limit) return;
  if (!reason->empty()) *reason += ", ";
  *reason += std::string(what) + " " + FormatPercent(used) + " >= " + std::to_string(limit) + "%";
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
  std::string reason;
  CheckThreshold("memory", probe.memory_used_percent, policy.memory_degraded_percent, &reason);
  CheckThreshold("disk", probe.disk_used_percent, policy.disk_degraded_percent, &reason);
  HealthState next = reason.empty() ? HealthState::kHealthy : HealthState::kDegraded;

  if (!observed_ || next != current_.state) current_.since = now;
  observed_ = true;
  current_.state = next;
  current_.reason = std::move(reason);
  return current_;
}

}  // namespace swarm::agent

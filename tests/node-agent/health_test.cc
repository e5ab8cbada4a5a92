#include "node-agent/health.h"

#include <gtest/gtest.h>

namespace swarm::agent {
namespace {

api::Resources Usage(double memory, double disk) {
  api::Resources r;
  r.memory_used_percent = memory;
  r.disk_used_percent = disk;
  return r;
}

api::HealthPolicy Policy(int memory, int disk) {
  api::HealthPolicy p;
  p.memory_degraded_percent = memory;
  p.disk_degraded_percent = disk;
  return p;
}

TEST(HealthTest, DefaultPolicyIsTheDocumentedOne) {
  api::HealthPolicy p = DefaultHealthPolicy();
  EXPECT_EQ(p.memory_degraded_percent, 85);
  EXPECT_EQ(p.disk_degraded_percent, 90);
}

TEST(HealthTest, StateNamesAreTheWireNames) {
  EXPECT_STREQ(HealthStateName(HealthState::kHealthy), "HEALTHY");
  EXPECT_STREQ(HealthStateName(HealthState::kDegraded), "DEGRADED");
  EXPECT_STREQ(HealthStateName(HealthState::kCritical), "CRITICAL");
  EXPECT_STREQ(HealthStateName(HealthState::kRecovering), "RECOVERING");
}

TEST(HealthTest, ThresholdsDecide) {
  struct Case {
    double memory, disk;
    int memory_limit, disk_limit;
    HealthState want;
    std::string reason;
  } cases[] = {
      {41.5, 63.0, 85, 90, HealthState::kHealthy, ""},
      {84.9, 89.9, 85, 90, HealthState::kHealthy, ""},
      {85.0, 10.0, 85, 90, HealthState::kDegraded, "memory 85% >= 85%"},
      {91.0, 10.0, 85, 90, HealthState::kDegraded, "memory 91% >= 85%"},
      {10.0, 95.5, 85, 90, HealthState::kDegraded, "disk 95.5% >= 90%"},
      {99.0, 99.0, 85, 90, HealthState::kDegraded, "memory 99% >= 85%, disk 99% >= 90%"},
      // The controller's policy, not a built-in one, applies.
      {70.0, 10.0, 60, 90, HealthState::kDegraded, "memory 70% >= 60%"},
      {91.0, 91.0, 95, 95, HealthState::kHealthy, ""},
  };
  for (const auto& c : cases) {
    HealthMonitor m;
    HealthVerdict v =
        m.Observe(Usage(c.memory, c.disk), Policy(c.memory_limit, c.disk_limit), SteadyTime{});
    EXPECT_EQ(v.state, c.want) << c.memory << " " << c.disk;
    EXPECT_EQ(v.reason, c.reason);
  }
}

TEST(HealthTest, SinceMovesOnlyOnTransitions) {
  HealthMonitor m;
  EXPECT_EQ(m.current().state, HealthState::kHealthy);
  const SteadyTime t0{std::chrono::seconds(100)};
  const auto policy = DefaultHealthPolicy();

  EXPECT_EQ(m.Observe(Usage(10, 10), policy, t0).since, t0);
  EXPECT_EQ(m.Observe(Usage(20, 10), policy, t0 + std::chrono::seconds(5)).since, t0);

  HealthVerdict d = m.Observe(Usage(90, 10), policy, t0 + std::chrono::seconds(10));
  EXPECT_EQ(d.state, HealthState::kDegraded);
  EXPECT_EQ(d.since, t0 + std::chrono::seconds(10));
  d = m.Observe(Usage(92, 10), policy, t0 + std::chrono::seconds(15));
  EXPECT_EQ(d.since, t0 + std::chrono::seconds(10));
  EXPECT_EQ(d.reason, "memory 92% >= 85%");

  HealthVerdict h = m.Observe(Usage(50, 10), policy, t0 + std::chrono::seconds(20));
  EXPECT_EQ(h.state, HealthState::kHealthy);
  EXPECT_EQ(h.since, t0 + std::chrono::seconds(20));
  EXPECT_EQ(h.reason, "");
  EXPECT_EQ(m.current().state, HealthState::kHealthy);
}

TEST(HealthTest, FormatPercent) {
  EXPECT_EQ(FormatPercent(91), "91%");
  EXPECT_EQ(FormatPercent(91.44), "91.4%");
  EXPECT_EQ(FormatPercent(91.3), "91.3%");
  EXPECT_EQ(FormatPercent(89.99), "89.9%");
  EXPECT_EQ(FormatPercent(0), "0%");
}

}  // namespace
}  // namespace swarm::agent

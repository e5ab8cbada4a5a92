#include "api/defaults.h"

#include <gtest/gtest.h>

namespace swarm::api {
namespace {

constexpr char kDefaultEmergeArgs[] = "--update --deep --newuse --with-bdeps=y";

TEST(ApplyDefaultsTest, AnEmptyQueueKeepsTheWorldCurrent) {
  Swarm s;
  ApplyDefaults(s);
  EXPECT_EQ(s.spec.queue.targets, std::vector<std::string>{"@world"});
  EXPECT_EQ(s.spec.queue.emerge_args, kDefaultEmergeArgs);
  EXPECT_TRUE(s.spec.queue.packages.empty());
}

TEST(ApplyDefaultsTest, ExplicitPackagesNeedNoTargets) {
  Swarm s;
  s.spec.queue.packages = {"dev-lang/rust"};
  ApplyDefaults(s);
  EXPECT_TRUE(s.spec.queue.targets.empty());
  EXPECT_EQ(s.spec.queue.emerge_args, kDefaultEmergeArgs);
}

TEST(ApplyDefaultsTest, KeepsWhatTheOperatorWrote) {
  Swarm s;
  s.spec.queue.targets = {"@system", "app-editors/vim"};
  s.spec.queue.emerge_args = "--update";
  ApplyDefaults(s);
  EXPECT_EQ(s.spec.queue.targets, (std::vector<std::string>{"@system", "app-editors/vim"}));
  EXPECT_EQ(s.spec.queue.emerge_args, "--update");
}

TEST(ApplyDefaultsTest, IsIdempotent) {
  Swarm once;
  ApplyDefaults(once);
  Swarm twice = once;
  ApplyDefaults(twice);
  EXPECT_EQ(twice.spec.queue.targets, once.spec.queue.targets);
  EXPECT_EQ(twice.spec.queue.emerge_args, once.spec.queue.emerge_args);
}

TEST(PolicyDefaultsTest, AreTheValuesTheDesignDocuments) {
  Policy p;
  EXPECT_EQ(p.heartbeat_interval, std::chrono::seconds(5));
  EXPECT_EQ(p.heartbeat_grace, std::chrono::seconds(20));
  EXPECT_EQ(p.ground_after_failures, 5);
  EXPECT_EQ(p.grounding_cooldown, std::chrono::minutes(5));
  EXPECT_EQ(p.systemic_failure_fraction, 0.5);
  EXPECT_FALSE(p.require_capacity_labels) << "a report is counted where no label caps it";
  EXPECT_EQ(p.health.probe_interval, std::chrono::seconds(15));
  EXPECT_EQ(p.health.memory_degraded_percent, 85);
  EXPECT_EQ(p.health.disk_degraded_percent, 90);
}

}  // namespace
}  // namespace swarm::api

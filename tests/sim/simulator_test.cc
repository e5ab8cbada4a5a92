#include "sim/simulator.h"

#include <gtest/gtest.h>

namespace swarm::sim {
namespace {

api::Swarm OneSwarm(std::vector<api::DroneSpec> drones) {
  api::Swarm s;
  s.metadata.name = "sim";
  s.spec.portage.tree_revision = "0123456789abcdef0123456789abcdef01234567";
  s.spec.deploy.version = "v1";
  s.spec.queue.targets = {"@world"};
  s.spec.drones = std::move(drones);
  s.spec.policy.heartbeat_interval = std::chrono::seconds(5);
  s.spec.policy.heartbeat_grace = std::chrono::seconds(20);
  s.spec.policy.ground_after_failures = 3;
  s.spec.policy.grounding_cooldown = std::chrono::minutes(30);
  s.spec.policy.systemic_failure_fraction = 0.5;
  return s;
}

WorkPackage Pkg(const std::string& name, double cpu, std::vector<std::string> deps = {},
                int parallelism = 1, int64_t memory = 0) {
  return {name, std::move(deps), cpu, parallelism, memory};
}

TEST(LowerBoundTest, IsTheLongerOfTheCriticalPathAndTheWork) {
  Workload w{{Pkg("a/a-1", 100), Pkg("a/b-1", 200, {"a/a-1"}, 4), Pkg("a/c-1", 50)}};
  // A 4-core drone at speed 2 runs a/b-1 (parallel 4) in 200 / (4 * 2) = 25 s.
  LowerBound lb = ComputeLowerBound(w, {{"fast", 4, 0, 2}, {"slow", 8, 0, 1}});
  EXPECT_DOUBLE_EQ(lb.critical_path_seconds, 100.0 / 2 + 25);
  EXPECT_DOUBLE_EQ(lb.work_bound_seconds, 350.0 / (4 * 2 + 8));
  EXPECT_DOUBLE_EQ(lb.seconds(), 75);
}

TEST(SimDronesTest, LabelsSayWhatADroneIs) {
  auto d = SimDrones(OneSwarm({{"big", {{"cores", "32"}, {"memory", "64Gi"}, {"speed", "1.5"}}, {}},
                               {"viewer", {{"cores", "2"}}, {"discover"}}}));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->size(), 1u) << "only drones that build";
  EXPECT_EQ((*d)[0].cores, 32);
  EXPECT_EQ((*d)[0].memory_bytes, 64LL << 30);
  EXPECT_DOUBLE_EQ((*d)[0].speed, 1.5);

  auto no_cores = SimDrones(OneSwarm({{"big", {{"memory", "64Gi"}}, {}}}));
  ASSERT_FALSE(no_cores.ok());
  EXPECT_NE(no_cores.status().message().find("drone big: label cores is required"),
            std::string::npos);
  auto bad_speed = SimDrones(OneSwarm({{"big", {{"cores", "8"}, {"speed", "fast"}}, {}}}));
  ASSERT_FALSE(bad_speed.ok());
  EXPECT_NE(bad_speed.status().message().find("speed \"fast\""), std::string::npos);
}

TEST(SimulateTest, AChainRunsInOrderOnTheRealController) {
  Workload w{{Pkg("a/a-1", 100), Pkg("a/b-1", 100, {"a/a-1"}), Pkg("a/c-1", 100, {"a/b-1"})}};
  auto r = Simulate(OneSwarm({{"d1", {{"cores", "4"}}, {}}}), w);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->finished) << r->unfinished_why;
  EXPECT_EQ(r->phases["Complete"], 3);
  EXPECT_EQ(r->builds, 3);
  EXPECT_DOUBLE_EQ(r->lower_bound.critical_path_seconds, 300);
  // Discovery and the first assignment take a heartbeat or two; each next
  // build comes in the reply to the previous one's result.
  EXPECT_GE(r->makespan_seconds, 300);
  EXPECT_LE(r->makespan_seconds, 300 + 2 * 5 + 1);
  ASSERT_EQ(r->drones.size(), 1u);
  EXPECT_NEAR(r->drones[0].busy_seconds, 300, 0.01);
}

TEST(SimulateTest, BuildsThatDoNotFitInMemoryTogetherAreOomKilledAndLearnedFrom) {
  Workload w;
  for (int i = 0; i < 4; ++i) {
    w.packages.push_back(Pkg("big/p" + std::to_string(i) + "-1", 600, {}, 8, 6LL << 30));
  }
  // 16 cores: two builds at once, but 8 GiB holds one of these at a time.
  // The controller learns that the package needs more than 8 GiB, so it goes
  // to the 32 GiB drone afterwards.
  auto r = Simulate(OneSwarm({{"d1", {{"cores", "16"}, {"memory", "8Gi"}}, {}},
                              {"d2", {{"cores", "16"}, {"memory", "32Gi"}}, {}}}),
                    w);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->finished) << r->unfinished_why;
  EXPECT_EQ(r->phases["Complete"], 4);
  EXPECT_GE(r->ooms, 1) << "two at once on one drone do not fit";
  EXPECT_EQ(r->failures, r->ooms);
  EXPECT_EQ(r->builds, 4 + r->failures) << "each OOM-killed build runs again";
}

TEST(SimulateTest, WhatNoDroneCanHoldEndsBlockedNotHung) {
  Workload w{{Pkg("big/p-1", 600, {}, 8, 6LL << 30), Pkg("big/q-1", 600, {}, 8, 6LL << 30)}};
  auto r = Simulate(OneSwarm({{"d1", {{"cores", "16"}, {"memory", "8Gi"}}, {}}}), w);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->finished) << r->unfinished_why;
  EXPECT_EQ(r->ooms, 1);
  EXPECT_EQ(r->phases["Complete"], 1);
  EXPECT_EQ(r->phases["Blocked"], 1) << "learned: it needs more memory than any drone has";
}

TEST(SimulateTest, AQueueNoDroneCanTakeEndsAtOnceBlocked) {
  Workload w{{Pkg("www-client/chromium-131.0", 36000, {}, 32)}};
  api::Swarm s = OneSwarm({{"d1", {{"cores", "8"}, {"memory", "16Gi"}}, {}}});
  s.spec.queue.requirements.push_back({"www-client/chromium", "64Gi", 64LL << 30, 16});
  auto r = Simulate(s, w);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->finished) << r->unfinished_why;
  EXPECT_EQ(r->phases["Blocked"], 1);
  EXPECT_EQ(r->builds, 0);
}

TEST(SimulateTest, PackagesWaitingOnABlockedOneEndTheRunToo) {
  Workload w;
  w.packages = {Pkg("www-client/chromium-131.0", 36000, {}, 32),
                Pkg("app-misc/uses-chromium-1", 60, {"www-client/chromium-131.0"}),
                Pkg("app-misc/other-1", 60)};
  api::Swarm s = OneSwarm({{"d1", {{"cores", "8"}, {"memory", "16Gi"}}, {}}});
  s.spec.queue.requirements.push_back({"www-client/chromium", "64Gi", 64LL << 30, 16});
  auto r = Simulate(s, w);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->finished) << r->unfinished_why;
  EXPECT_EQ(r->phases["Blocked"], 1);
  EXPECT_EQ(r->phases["Needed"], 1) << "waits on the Blocked one for ever";
  EXPECT_EQ(r->phases["Complete"], 1);
}

TEST(SimulateTest, ADiscovererThatDoesNotBuildIsSimulatedToo) {
  api::Swarm s = OneSwarm({{"desktop", {}, {"discover"}}, {"d1", {{"cores", "4"}}, {}}});
  s.spec.queue.discover_on = "desktop";
  auto r = Simulate(s, {{Pkg("a/a-1", 100)}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->finished) << r->unfinished_why;
  EXPECT_EQ(r->phases["Complete"], 1);
  EXPECT_DOUBLE_EQ(r->lower_bound.work_bound_seconds, 25) << "only building drones count";
}

TEST(SimulateTest, ANeverEndingRunStopsAtTheLimitAndSaysSo) {
  Workload w{{Pkg("a/a-1", 1e9)}};  // the most a workload may say
  SimOptions options;
  options.max_virtual_time = std::chrono::hours(1);
  auto r = Simulate(OneSwarm({{"d1", {{"cores", "4"}}, {}}}), w, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->finished);
  EXPECT_NE(r->unfinished_why.find("still not done after 1h"), std::string::npos)
      << r->unfinished_why;
}

}  // namespace
}  // namespace swarm::sim

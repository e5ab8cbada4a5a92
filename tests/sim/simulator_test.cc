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
  EXPECT_NE(bad_speed.status().message().find("drone big: label speed: \"fast\""),
            std::string::npos)
      << bad_speed.status().message();
}

// Every run starts the same way: the first heartbeat (t=0) is answered with
// the discovery, whose result the controller takes at once; the queue's first
// builds go out in the reply to the second heartbeat, one interval later.
// A build's end is reported the moment it ends and the reply carries the
// drone's next build, so a chain on one drone has no gaps.
constexpr double kFirstAssignment = 5;

TEST(SimulateTest, AChainRunsInOrderWithoutGaps) {
  Workload w{{Pkg("a/a-1", 100), Pkg("a/b-1", 100, {"a/a-1"})}};
  auto r = Simulate(OneSwarm({{"d1", {{"cores", "4"}}, {}}}), w);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->finished) << r->unfinished_why;
  EXPECT_EQ(r->phases["Complete"], 2);
  EXPECT_EQ(r->builds, 2);
  EXPECT_DOUBLE_EQ(r->lower_bound.critical_path_seconds, 200);
  EXPECT_NEAR(r->makespan_seconds, kFirstAssignment + 200, 0.002);
  ASSERT_EQ(r->drones.size(), 1u);
  EXPECT_NEAR(r->drones[0].busy_seconds, 200, 0.002);
  EXPECT_NEAR(r->drones[0].cpu_seconds, 200, 0.01);
}

TEST(SimulateTest, AWideFanOutFillsEveryCoreUnderCriticalPathAndOneSlotUnderFifo) {
  Workload w;
  for (int i = 0; i < 8; ++i) w.packages.push_back(Pkg("a/p" + std::to_string(i) + "-1", 100));
  api::Swarm s = OneSwarm({{"d1", {{"cores", "4"}, {"memory", "16Gi"}}, {}}});
  // critical-path: one build per core (4), two rounds of 100 s.
  auto r = Simulate(s, w);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->policy, "critical-path");
  EXPECT_NEAR(r->makespan_seconds, kFirstAssignment + 200, 0.002);
  EXPECT_DOUBLE_EQ(r->lower_bound.seconds(), 200) << "800 CPU-seconds on 4 cores";
  // fifo: max(1, 4 / 8) = 1 build at a time, eight rounds.
  SimOptions fifo;
  fifo.policy = "fifo";
  auto f = Simulate(s, w, fifo);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->policy, "fifo");
  EXPECT_NEAR(f->makespan_seconds, kFirstAssignment + 800, 0.002);
}

TEST(SimulateTest, APackageOomKilledBesideAnotherIsRetriedWithFewerBesideIt) {
  // 16 cores and 8 GiB: four slots (2 GiB each), and each build uses 8
  // cores, so both start at once, and together they need 12 GiB. The second
  // is killed halfway (300 of its 600 CPU-seconds at 8 cores: 37.5 s); the
  // controller learns that it needs more than 8 / 2 = 4 GiB to itself, holds
  // the drone for it, and starts it again the moment the first ends (75 s),
  // alone with the drone's 8 GiB: 75 s more.
  Workload w{{Pkg("big/p-1", 600, {}, 8, 6LL << 30), Pkg("big/q-1", 600, {}, 8, 6LL << 30)}};
  auto r = Simulate(OneSwarm({{"d1", {{"cores", "16"}, {"memory", "8Gi"}}, {}}}), w);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->finished) << r->unfinished_why;
  EXPECT_EQ(r->ooms, 1);
  EXPECT_EQ(r->groundings, 0) << "an OOM beside others does not count against the drone";
  EXPECT_EQ(r->phases["Complete"], 2);
  EXPECT_NEAR(r->makespan_seconds, kFirstAssignment + 75 + 75, 0.002);
}

TEST(SimulateTest, WhatNoDroneCanHoldEvenAloneEndsBlockedNotHung) {
  Workload w{{Pkg("big/p-1", 600, {}, 8, 12LL << 30), Pkg("small/q-1", 60)}};
  auto r = Simulate(OneSwarm({{"d1", {{"cores", "16"}, {"memory", "8Gi"}}, {}}}), w);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->finished) << r->unfinished_why;
  // Killed first beside q-1 (it needs more than 4 GiB to itself), then
  // alone: more than 8 GiB, more than any drone has.
  EXPECT_EQ(r->ooms, 2);
  EXPECT_EQ(r->phases["Complete"], 1);
  EXPECT_EQ(r->phases["Blocked"], 1) << "killed alone: it needs more memory than any drone has";
}

// Two one-core drones, two independent 100-second builds: one on each. d2
// heartbeats 7 ms after d1, when the queue is in: its build starts then;
// d1's starts at its second heartbeat.
api::Swarm TwoDrones() {
  return OneSwarm({{"d1", {{"cores", "1"}}, {}}, {"d2", {{"cores", "1"}}, {}}});
}
Workload TwoBuilds() { return {{Pkg("a/a-1", 100), Pkg("a/b-1", 100)}}; }

Fault MustParse(const std::string& text) {
  auto f = ParseFault(text);
  EXPECT_TRUE(f.ok()) << text << ": " << f.status().ToString();
  return f.ok() ? *f : Fault{};
}

// kill: d2 last beat at 45 s; its lease lapses 20 s later and the build goes
// back to the queue. return: d2 hands it back at 50 s. Either way d2's build
// runs again on d1, which takes it the moment its own ends (t = 105 s).
TEST(SimulateTest, ALeavingDronesBuildRunsAgainElsewhereOnce) {
  for (const char* fault : {"kill:d2@50s", "return:d2@50s"}) {
    SCOPED_TRACE(fault);
    SimOptions o;
    o.faults = {MustParse(fault)};
    auto r = Simulate(TwoDrones(), TwoBuilds(), o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->finished) << r->unfinished_why;
    EXPECT_EQ(r->phases["Complete"], 2);
    EXPECT_EQ(r->built_twice, 0);
    EXPECT_EQ(r->builds, 3) << "d2's build runs again on d1";
    EXPECT_NEAR(r->makespan_seconds, kFirstAssignment + 200, 0.02);
  }
}

TEST(SimulateTest, ASlowDroneTakesAsLongAsItReallyDoes) {
  SimOptions o;
  o.faults = {MustParse("slow:d1:2")};
  auto r = Simulate(OneSwarm({{"d1", {{"cores", "1"}}, {}}}), {{Pkg("a/a-1", 100)}}, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r->makespan_seconds, kFirstAssignment + 200, 0.002);
  EXPECT_DOUBLE_EQ(r->lower_bound.seconds(), 100) << "the bound believes the labels";
}

TEST(SimulateTest, AFlakyDronesFailuresGoElsewhere) {
  SimOptions o;
  o.faults = {MustParse("flaky:d1:1")};
  auto r = Simulate(TwoDrones(), TwoBuilds(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->finished) << r->unfinished_why;
  EXPECT_EQ(r->phases["Complete"], 2);
  EXPECT_EQ(r->failures, 1) << "d1 fails its build halfway; it is excluded from it";
  EXPECT_EQ(r->ooms, 0);
  // d1's build fails at 55 s and goes to d2, which takes it when its own
  // ends at 100.007 s.
  EXPECT_NEAR(r->makespan_seconds, 0.007 + 200, 0.002);
}

TEST(ParseFaultTest, ReadsEachKindAndNamesWhatIsWrong) {
  Fault k = MustParse("kill:drone-a@2h");
  EXPECT_EQ(k.kind, Fault::Kind::kKill);
  EXPECT_EQ(k.drone, "drone-a");
  EXPECT_EQ(k.at, std::chrono::hours(2));
  EXPECT_EQ(MustParse("return:d@30m").kind, Fault::Kind::kReturn);
  EXPECT_DOUBLE_EQ(MustParse("flaky:d:0.2").value, 0.2);
  EXPECT_DOUBLE_EQ(MustParse("slow:d:3").value, 3);
  for (const char* bad : {"kill:d", "kill:@2h", "kill:d@soon", "flaky:d:1.5", "slow:d:0.5",
                          "slow:d:", "melt:d:1", "nothing"}) {
    auto f = ParseFault(bad);
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_NE(f.status().message().find(std::string("--fault ") + bad), std::string::npos)
        << f.status().message();
  }
  SimOptions o;
  o.faults = {MustParse("kill:nobody@1h")};
  auto r = Simulate(TwoDrones(), TwoBuilds(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no drone named nobody"), std::string::npos);
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

#include "controller/queue/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>

#include "tests/support/packages.h"

namespace swarm::controller {
namespace {

constexpr int64_t kGi = int64_t{1} << 30;
using std::chrono::minutes;

using ::swarm::testing::Pkg;

api::Package Excluding(api::Package p, std::vector<std::string> drones) {
  p.excluded_drones = std::move(drones);
  return p;
}

api::Package CapacityBlocked(const std::string& name) {
  api::Package p = Pkg(name, {}, api::kPhaseBlocked);
  p.reason = std::string(kNoDroneCanTakeIt) + "needs memory >= 32Gi";
  return p;
}

DroneCapacity Drone(const std::string& name, int cores, int64_t memory_gi, int running = 0,
                    bool eligible = true) {
  DroneCapacity d;
  d.name = name;
  d.eligible = eligible;
  d.ineligible_reason = eligible ? "" : "grounded";
  d.cores = cores;
  d.memory_bytes = memory_gi * kGi;
  d.running = running;
  d.speed = cores;
  return d;
}

api::Requirement Req(const std::string& match, int64_t memory_gi, std::optional<int> cores = {}) {
  return {match, std::to_string(memory_gi) + "Gi", memory_gi * kGi, cores};
}

SchedulingInput Input(std::vector<api::Package> packages, std::vector<DroneCapacity> drones) {
  SchedulingInput in;
  in.queue_current = true;
  in.packages = std::move(packages);
  in.drones = std::move(drones);
  in.default_build_time = minutes(10);
  return in;
}

// "package@drone" in decision order, to compare whole decisions at once.
std::vector<std::string> Assigned(const SchedulingDecision& d) {
  std::vector<std::string> out;
  for (const auto& a : d.assignments) out.push_back(a.package + "@" + a.drone);
  return out;
}

std::vector<std::string> BlockedNames(const SchedulingDecision& d) {
  std::vector<std::string> out;
  for (const auto& b : d.blocked) out.push_back(b.package);
  return out;
}

const api::Package kQtWebEngine = Pkg("dev-qt/qtwebengine-6.8.1");

TEST(SchedulerTest, Table) {
  auto with = [](SchedulingInput in, auto change) {
    change(in);
    return in;
  };
  const std::vector<DroneCapacity> one = {Drone("d", 8, 16)};
  struct Case {
    const char* name;
    SchedulingInput in;
    std::vector<std::string> assigned;
    std::vector<std::string> blocked = {};
    std::vector<std::string> unblocked = {};
  } cases[] = {
      {"stale queue dispatches nothing",
       with(Input({Pkg("a/a-1"), CapacityBlocked("a/b-1")}, {Drone("d", 8, 64)}),
            [](auto& in) { in.queue_current = false; }),
       {}},
      {"dependency not complete gates readiness",
       Input({Pkg("a/b-1", {"a/a-1"}), Pkg("a/a-1", {}, api::kPhaseBuilding)}, one),
       {}},
      {"complete dependency releases the package",
       Input({Pkg("a/b-1", {"a/a-1"}), Pkg("a/a-1", {}, api::kPhaseComplete)}, one),
       {"a/b-1@d"}},
      {"dependencies outside the queue are ignored", Input({Pkg("a/b-1", {"x/gone-1"})}, one),
       {"a/b-1@d"}},
      {"requirement sends qtwebengine only to the 64Gi drone",
       with(Input({kQtWebEngine, Pkg("a/a-1")},
                  {Drone("fast", 32, 16), Drone("mid", 16, 24), Drone("big", 8, 64)}),
            [](auto& in) { in.requirements = {Req("dev-qt/qtwebengine", 32)}; }),
       {"dev-qt/qtwebengine-6.8.1@big", "a/a-1@fast"}},
      {"wildcard requirement",
       with(Input({kQtWebEngine}, {Drone("fast", 32, 16), Drone("big", 8, 64)}),
            [](auto& in) { in.requirements = {Req("dev-qt/qt*", 32)}; }),
       {"dev-qt/qtwebengine-6.8.1@big"}},
      {"requirement cores",
       with(Input({Pkg("dev-lang/rust-1.84.0")}, {Drone("small", 4, 64), Drone("wide", 16, 8)}),
            [](auto& in) { in.requirements = {Req("dev-lang/rust", 0, 8)}; }),
       {"dev-lang/rust-1.84.0@wide"}},
      {"after an OOM on a 16Gi drone it goes to 32Gi",
       with(Input({kQtWebEngine}, {Drone("tarn", 32, 16), Drone("izar", 8, 32)}),
            [](auto& in) { in.learned[kQtWebEngine.name] = {16 * kGi, "OOM on tarn"}; }),
       {"dev-qt/qtwebengine-6.8.1@izar"}},
      {"after an OOM it never goes back to the 16Gi drone, even when it is the only free one",
       with(Input({kQtWebEngine}, {Drone("tarn", 32, 16), Drone("izar", 8, 32, 1)}),
            [](auto& in) { in.learned[kQtWebEngine.name] = {16 * kGi, "OOM on tarn"}; }),
       {}},
      {"excluded drone is skipped",
       Input({Excluding(Pkg("a/a-1"), {"fast"})}, {Drone("fast", 32, 16), Drone("slow", 8, 16)}),
       {"a/a-1@slow"}},
      {"fifo slots follow cores: 16 cores take two, 4 cores one",
       with(Input({Pkg("a/a-1"), Pkg("a/b-1"), Pkg("a/c-1"), Pkg("a/d-1")},
                  {Drone("sixteen", 16, 32), Drone("four", 4, 8)}),
            [](auto& in) { in.policy = Policy::kFifo; }),
       {"a/a-1@sixteen", "a/b-1@sixteen", "a/c-1@four"}},
      {"one build per core, each where its share of speed is largest",
       Input({Pkg("a/a-1"), Pkg("a/b-1"), Pkg("a/c-1"), Pkg("a/d-1"), Pkg("a/e-1")},
             {Drone("six", 6, 32), Drone("two", 2, 8)}),
       {"a/a-1@six", "a/b-1@six", "a/c-1@six", "a/d-1@two", "a/e-1@six"}},
      {"memory limits the slots: 2Gi each",
       Input({Pkg("a/a-1"), Pkg("a/b-1"), Pkg("a/c-1")}, {Drone("lean", 16, 4)}),
       {"a/a-1@lean", "a/b-1@lean"}},
      {"a drone at its slots gets nothing",
       Input({Pkg("a/a-1")}, {Drone("full", 16, 32, 16), Drone("free", 4, 8, 0)}),
       {"a/a-1@free"}},
      {"a long build gets the fastest drone to itself",
       with(Input({Pkg("a/a-1"), Pkg("www-client/chromium-133"), Pkg("a/b-1")},
                  {Drone("small", 8, 16), Drone("big", 32, 64)}),
            [](auto& in) { in.build_time_estimates["www-client/chromium"] = minutes(240); }),
       {"www-client/chromium-133@big", "a/a-1@small", "a/b-1@small"}},
      {"a drone whose memory was found full takes nothing until a build there ends",
       with(Input({Pkg("a/a-1")}, {Drone("big", 32, 64, 3), Drone("small", 8, 16)}),
            [](auto& in) { in.drones[0].memory_full = true; }),
       {"a/a-1@small"}},
      {"a drone running a long build takes nothing else",
       with(Input({Pkg("a/a-1")}, {Drone("big", 32, 64, 1), Drone("small", 8, 16)}),
            [](auto& in) { in.drones[0].widest = 32; }),
       {"a/a-1@small"}},
      {"the discovering drone's emerge.log is the estimate until the swarm has timed it",
       Input({Pkg("a/a-1"), [] {
                api::Package p = Pkg("sys-devel/gcc-14.2.1");
                p.estimated_ms = 45 * 60 * 1000;
                return p;
              }()},
             {Drone("small", 8, 16), Drone("big", 32, 64)}),
       {"sys-devel/gcc-14.2.1@big", "a/a-1@small"}},
      {"fifo: queue order, each to the first drone in the input that fits",
       with(Input({Pkg("a/leaf-1"), Pkg("a/head-1"), Pkg("a/mid-1", {"a/head-1"}),
                   Pkg("www-client/chromium-133")},
                  {Drone("small", 8, 16), Drone("big", 32, 64)}),
            [](auto& in) {
              in.policy = Policy::kFifo;
              in.build_time_estimates["www-client/chromium"] = minutes(240);
            }),
       {"a/leaf-1@small", "a/head-1@big", "www-client/chromium-133@big"}},
      {"ineligible drones get nothing",
       Input({Pkg("a/a-1")}, {Drone("grounded", 32, 64, 0, false)}),
       {}},
      {"fastest fitting drone",
       Input({Pkg("a/a-1")}, {Drone("slow", 4, 64), Drone("fast", 24, 64), Drone("mid", 8, 64)}),
       {"a/a-1@fast"}},
      {"a busy drone counts at its share of speed",
       Input({Pkg("a/a-1"), Pkg("a/b-1")}, {Drone("big", 16, 64), Drone("ten", 10, 64)}),
       {"a/a-1@big", "a/b-1@ten"}},
      {"the head of the long chain goes first",
       Input({Pkg("a/leaf-1"), Pkg("a/head-1"), Pkg("a/mid-1", {"a/head-1"}),
              Pkg("a/tail-1", {"a/mid-1"})},
             one),
       {"a/head-1@d", "a/leaf-1@d"}},
      {"a long build outweighs a short chain",
       with(Input({Pkg("a/head-1"), Pkg("a/mid-1", {"a/head-1"}), Pkg("www-client/chromium-133")},
                  one),
            [](auto& in) { in.build_time_estimates["www-client/chromium"] = minutes(240); }),
       {"www-client/chromium-133@d"}},
      {"ties keep queue order",
       Input({Pkg("a/b-1"), Pkg("a/a-1")}, {Drone("d", 4, 8)}),
       {"a/b-1@d", "a/a-1@d"}},
      {"a cycle is never ready and does not hang",
       Input({Pkg("a/x-1", {"a/y-1"}), Pkg("a/y-1", {"a/x-1"}), Pkg("a/self-1", {"a/self-1"}),
              Pkg("a/z-1", {"a/w-1"}), Pkg("a/w-1")},
             {Drone("d", 32, 64)}),
       {"a/w-1@d"}},
      {"nobody has the memory: Blocked, whatever the drones' state",
       with(Input({kQtWebEngine, Pkg("a/a-1", {"dev-qt/qtwebengine-6.8.1"})},
                  {Drone("a", 16, 16, 0, false), Drone("b", 8, 16)}),
            [](auto& in) { in.requirements = {Req("dev-qt/qtwebengine", 32)}; }),
       {},
       {"dev-qt/qtwebengine-6.8.1"}},
      {"an ineligible drone that fits prevents Blocked",
       with(Input({kQtWebEngine}, {Drone("big", 16, 64, 0, false), Drone("b", 8, 16)}),
            [](auto& in) { in.requirements = {Req("dev-qt/qtwebengine", 32)}; }),
       {}},
      {"every drone excluded: Blocked", Input({Excluding(Pkg("a/a-1"), {"d"})}, one), {}, {"a/a-1"}},
      {"a bigger drone joins: capacity-Blocked back to Needed, other Blocked untouched",
       Input({CapacityBlocked("dev-qt/qtwebengine-6.8.1"),
              [] {
                api::Package p = Pkg("a/bad-1", {}, api::kPhaseBlocked);
                p.reason = "failed with Package on two drones";
                return p;
              }()},
             {Drone("b", 8, 16), Drone("huge", 8, 128)}),
       {},
       {},
       {"dev-qt/qtwebengine-6.8.1"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    SchedulingDecision d = Schedule(c.in);
    EXPECT_EQ(Assigned(d), c.assigned);
    EXPECT_EQ(BlockedNames(d), c.blocked);
    EXPECT_EQ(d.unblocked, c.unblocked);
  }
}

TEST(SchedulerTest, ALongBuildHoldsTheFastestDroneWhenNoneIsEmpty) {
  SchedulingInput in = Input({Pkg("www-client/chromium-133"), Pkg("a/a-1")},
                             {Drone("small", 8, 16, 1), Drone("big", 32, 64, 1)});
  in.build_time_estimates["www-client/chromium"] = minutes(240);
  SchedulingDecision d = Schedule(in);
  EXPECT_EQ(Assigned(d), std::vector<std::string>{"a/a-1@small"});
  ASSERT_EQ(d.held.size(), 1u);
  EXPECT_EQ(d.held[0].drone, "big");
  // Once big is empty the long build takes it.
  in.drones[1].running = 0;
  d = Schedule(in);
  EXPECT_EQ(Assigned(d), (std::vector<std::string>{"www-client/chromium-133@big", "a/a-1@small"}));
  EXPECT_TRUE(d.held.empty());
}

// A package timed by discovery: `seconds` of wall time, `cores` of them busy.
api::Package Timed(const std::string& name, int64_t seconds, int cores,
                   std::vector<std::string> deps = {}) {
  api::Package p = Pkg(name, std::move(deps));
  p.estimated_ms = seconds * 1000;
  p.estimated_cpu_ms = seconds * 1000 * cores;
  return p;
}

// `p` building on `drone`, started at `since` (unknown when not given).
api::Package BuildingOn(api::Package p, const std::string& drone,
                        std::optional<WallTime> since = std::nullopt) {
  p.phase = api::kPhaseBuilding;
  p.drone = drone;
  p.started_at = since;
  return p;
}

TEST(SchedulerTest, AComingLongBuildHoldsItsDroneWhichTakesOnlyWhatEndsFirst) {
  const WallTime now = WallTime{} + std::chrono::hours(1);
  const api::Package llvm = BuildingOn(Timed("llvm-core/llvm-19", 100, 0, {}), "big", now);
  // clang waits for llvm (100 s more): 40 minutes alone on big, four times
  // that on small. Its parallelism is unknown (CPU time 0).
  api::Package clang = Timed("llvm-core/clang-19", 2400, 0, {"llvm-core/llvm-19"});
  api::Package quick = Timed("a/quick-1", 30, 1);
  api::Package slow = Timed("a/slow-1", 500, 1);
  SchedulingInput in = Input({llvm, clang, quick, slow}, {Drone("big", 32, 64, 1), Drone("small", 8, 16)});
  in.now = now;
  in.drones[0].widest = 32;
  in.drones[0].busy_for = std::chrono::seconds(100);
  SchedulingDecision d = Schedule(in);
  ASSERT_EQ(d.held.size(), 1u);
  EXPECT_EQ(d.held[0].drone, "big");
  EXPECT_EQ(d.held[0].package, "llvm-core/clang-19");
  EXPECT_EQ(d.held[0].until, std::chrono::seconds(100));
  EXPECT_EQ(Assigned(d), (std::vector<std::string>{"a/slow-1@small", "a/quick-1@small"}));

  // Had llvm run on a third drone, big would be idle while clang is still
  // 100 s away: the 30-second build fills that wait there; the 500-second
  // one would still run when clang starts, so it goes to small.
  in.packages[0].drone = "mid";
  in.drones = {Drone("big", 32, 64), Drone("small", 8, 16), Drone("mid", 16, 32, 1)};
  in.drones[2].widest = 16;
  in.drones[2].busy_for = std::chrono::seconds(100);
  d = Schedule(in);
  ASSERT_EQ(d.held.size(), 1u);
  EXPECT_EQ(d.held[0].drone, "big");
  EXPECT_EQ(d.held[0].until, std::chrono::seconds(100));
  EXPECT_EQ(Assigned(d), (std::vector<std::string>{"a/slow-1@small", "a/quick-1@big"}));
}

TEST(SchedulerTest, AWholeBuildGoesWhereTheSwarmEndsSoonest) {
  // 24,000 CPU-seconds at 24 cores: 1,000 s on big, leaving 8 of its 32
  // cores idle (8,000 core-seconds), or 1,500 s on mid using all 16.
  api::Package office = Timed("app-office/office-1", 1000, 24);
  SchedulingInput in = Input({office}, {Drone("big", 32, 64), Drone("mid", 16, 32)});
  // Nothing else to do: the swarm ends when office does, soonest on big.
  EXPECT_EQ(Assigned(Schedule(in)), std::vector<std::string>{"app-office/office-1@big"});

  // 80,000 CPU-seconds more are building elsewhere: the swarm's work ends
  // at (24,000 + 80,000) / 48 = 2,167 s at the earliest, later than office
  // on either drone; on big its idle cores add 8,000 / 48 = 167 s to that.
  in.packages.push_back(BuildingOn(Timed("a/filler-1", 20000, 4), "other"));
  in.drones.push_back(Drone("other", 8, 16, 1, /*eligible=*/false));
  EXPECT_EQ(Assigned(Schedule(in)), std::vector<std::string>{"app-office/office-1@mid"});
}

TEST(SchedulerTest, AHeldDroneTakesAWholeBuildFirstOnlyWithinTheSlackOfItsOwn) {
  const WallTime now = WallTime{} + std::chrono::hours(1);
  // dep builds on big for 100 s more; ff (2,000 s alone on big) waits for
  // it and holds big. small is slow: a quarter of big's per-core speed.
  const api::Package dep = BuildingOn(Timed("a/dep-1", 100, 32), "big", now);
  api::Package ff = Timed("www-client/ff-1", 2000, 32, {"a/dep-1"});
  // 700 s on big (11,200 s on small), ready now.
  api::Package webkit = Timed("net-libs/webkit-1", 700, 32);
  // Building on a drone that takes nothing new: work the swarm has left.
  const api::Package filler = BuildingOn(Timed("a/filler-1", 5800, 8), "other");
  SchedulingInput in = Input({dep, ff, webkit, filler},
                             {Drone("big", 32, 64, 1), Drone("small", 8, 16),
                              Drone("other", 8, 16, 1, /*eligible=*/false)});
  in.now = now;
  in.drones[0].widest = 32;
  in.drones[0].busy_for = std::chrono::seconds(100);
  in.drones[1].speed = 2;
  // Work left: (3,200 + 64,000 + 22,400 + 46,400) / 34 = 4,000 s. ff ends
  // at 2,100 s on big: 1,900 s to spare, half of which (until 1,050 s)
  // webkit may take first; it ends at 800 s, so it holds big too, behind
  // dep.
  SchedulingDecision d = Schedule(in);
  EXPECT_TRUE(d.assignments.empty()) << ::testing::PrintToString(Assigned(d));
  ASSERT_EQ(d.held.size(), 2u);
  EXPECT_EQ(d.held[0].package, "www-client/ff-1");
  EXPECT_EQ(d.held[0].drone, "big");
  EXPECT_EQ(d.held[1].package, "net-libs/webkit-1");
  EXPECT_EQ(d.held[1].drone, "big");
  EXPECT_EQ(d.held[1].until, std::chrono::seconds(100));

  // 1,600 s on big: work left (164,800 / 34) ends at 4,847 s; webkit may go
  // first until 1,474 s but would end at 1,700 s. It queues behind ff on
  // big (2,100 to 3,700 s) rather than take 25,600 s on small now.
  in.packages[2] = Timed("net-libs/webkit-1", 1600, 32);
  d = Schedule(in);
  EXPECT_TRUE(d.assignments.empty()) << ::testing::PrintToString(Assigned(d));
  ASSERT_EQ(d.held.size(), 1u);
  EXPECT_EQ(d.held[0].package, "www-client/ff-1");
}

TEST(SchedulerTest, APackagesPriorityIsItsMeanTimeOverTheDrones) {
  // A 32-core and an 8-core drone at the same per-core speed.
  SchedulingInput in = Input({Timed("a/wide-1", 100, 16), Timed("a/small-1", 60, 0),
                              Timed("a/long-1", 2400, 0), Pkg("a/untimed-1")},
                             {Drone("big", 32, 64), Drone("small", 8, 16)});
  SchedulingDecision d = Schedule(in);
  ASSERT_EQ(d.priority.size(), 4u);
  // 1,600 CPU-seconds at 16 cores: 100 s on big, 200 s on small (8 cores).
  EXPECT_EQ(d.priority[0], std::chrono::seconds(150));
  // Parallelism unknown and short: one core, as fast on either.
  EXPECT_EQ(d.priority[1], std::chrono::seconds(60));
  // Unknown and long: as if it used every core, timed on big (the fastest);
  // four times as long on small.
  EXPECT_EQ(d.priority[2], std::chrono::seconds((2400 + 4 * 2400) / 2));
  // Untimed: the 10-minute default on one core.
  EXPECT_EQ(d.priority[3], std::chrono::minutes(10));
}

TEST(SchedulerTest, ABuildThatKeptItsCoresBusyMayUseMore) {
  const DroneCapacity wide = Drone("wide", 16, 64);
  // 100 s with 8 cores busy.
  api::Package p = Timed("a/b-1", 100, 8);
  EXPECT_EQ(WidthOf(p, wide, false), 8) << "cores it had unknown: eight";
  p.estimated_cores = 32;
  EXPECT_EQ(WidthOf(p, wide, false), 8) << "eight of 32: it uses eight";
  p.estimated_cores = 8;
  EXPECT_EQ(WidthOf(p, wide, false), 16) << "all it had: it may use every core";
  EXPECT_EQ(DurationOn(p, seconds(100), wide, true, 16, 1), seconds(50))
      << "800 CPU-seconds over 16 cores";
  p.estimated_cores = 9;  // 8 of 9 is under 90 %
  EXPECT_EQ(WidthOf(p, wide, false), 8);
}

TEST(SchedulerTest, WhatADroneRunsEndsAtThatDronesSpeed) {
  DroneCapacity small = Drone("small", 8, 16, 1);
  // 1,600 CPU-seconds at 16 cores (100 s on a 16-core drone): 200 s on 8
  // cores alone, 400 s beside one other build.
  const api::Package p = Timed("a/wide-1", 100, 16);
  EXPECT_EQ(DurationOn(p, seconds(100), small, true, 32, 1), seconds(200));
  small.running = 2;
  EXPECT_EQ(DurationOn(p, seconds(100), small, false, 32, 1), seconds(400));
  // Unknown width: its estimate, however the drone differs.
  EXPECT_EQ(DurationOn(Timed("a/unknown-1", 100, 0), seconds(100), small, true, 32, 1),
            seconds(100));
}

TEST(SchedulerTest, AnOomFloorIsAShareOfTheDrone) {
  // Killed while sharing: it needs more than 8Gi to itself. tarn (32Gi) can
  // take it beside two builds (32/3 > 8) but not beside three (32/4 = 8).
  SchedulingInput in = Input({kQtWebEngine}, {Drone("tarn", 32, 32, 3)});
  in.learned[kQtWebEngine.name] = {8 * kGi, "OOM on tarn (32Gi shared by 4 builds)"};
  EXPECT_TRUE(Assigned(Schedule(in)).empty());
  EXPECT_TRUE(Schedule(in).blocked.empty()) << "alone it fits: not Blocked";
  in.drones[0].running = 2;
  EXPECT_EQ(Assigned(Schedule(in)), std::vector<std::string>{kQtWebEngine.name + "@tarn"});
}

TEST(SchedulerTest, BlockedReasonSaysWhatNobodyHas) {
  SchedulingInput in = Input({kQtWebEngine}, {Drone("tarn", 8, 16), Drone("izar", 4, 8, 0, false)});
  in.requirements = {Req("dev-qt/*", 8, 8)};
  in.learned[kQtWebEngine.name] = {16 * kGi, "OOM on tarn"};
  SchedulingDecision d = Schedule(in);
  ASSERT_EQ(d.blocked.size(), 1u);
  EXPECT_EQ(d.blocked[0].reason,
            "no drone can take it: needs memory > 16Gi (OOM on tarn) and cores >= 8 (requirement "
            "dev-qt/*); none of 2 drones fits (tarn: memory 16Gi; izar: memory 8Gi, 4 cores "
            "(grounded))");

  // Still blocked with the same reason: nothing to write. A changed reason is rewritten.
  api::Package blocked = kQtWebEngine;
  blocked.phase = api::kPhaseBlocked;
  blocked.reason = d.blocked[0].reason;
  in.packages = {blocked};
  EXPECT_TRUE(Schedule(in).blocked.empty());
  in.drones.push_back(Drone("vega", 4, 64));
  d = Schedule(in);
  ASSERT_EQ(d.blocked.size(), 1u);
  EXPECT_NE(d.blocked[0].reason.find("vega: 4 cores"), std::string::npos) << d.blocked[0].reason;

  // The drone that can take it joins: released, then dispatched once Needed.
  in.drones.push_back(Drone("deneb", 16, 64));
  d = Schedule(in);
  EXPECT_TRUE(d.blocked.empty());
  EXPECT_EQ(d.unblocked, std::vector<std::string>{kQtWebEngine.name});
  in.packages = {kQtWebEngine};
  EXPECT_EQ(Assigned(Schedule(in)), std::vector<std::string>{kQtWebEngine.name + "@deneb"});

  in.drones.clear();
  d = Schedule(in);
  ASSERT_EQ(d.blocked.size(), 1u);
  EXPECT_NE(d.blocked[0].reason.find("the roster has no build drones"), std::string::npos);
}

TEST(SchedulerTest, SlotsFollowCoresAndMemory) {
  struct {
    int cores;
    int64_t memory_gi;
    int critical_path, fifo;
  } cases[] = {{0, 0, 1, 1},    {1, 2, 1, 1},    {4, 16, 4, 1},  {8, 16, 8, 1},
               {16, 16, 8, 2},  {16, 64, 16, 2}, {24, 1, 1, 3},  {64, 0, 64, 8},
               {32, 48, 24, 4}};
  for (const auto& c : cases) {
    DroneCapacity d = Drone("d", c.cores, c.memory_gi);
    EXPECT_EQ(SlotsFor(d, Policy::kCriticalPath), c.critical_path)
        << c.cores << " cores, " << c.memory_gi << "Gi";
    EXPECT_EQ(SlotsFor(d, Policy::kFifo), c.fifo) << c.cores << " cores";
  }
}

// A 30-package DAG driven to the end: every package is dispatched once, only
// after its dependencies completed, and each drone stays within its slots.
TEST(SchedulerTest, ThirtyPackageDagRunsToCompletion) {
  std::vector<api::Package> packages;
  uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
  for (int i = 0; i < 30; ++i) {
    std::vector<std::string> deps;
    for (int k = 0; i > 0 && k < static_cast<int>(next() % 4); ++k) {
      deps.push_back("cat/p" + std::to_string(next() % i) + "-1.0");
    }
    if (i == 7) deps.push_back("virtual/not-in-queue-1");
    packages.push_back(Pkg("cat/p" + std::to_string(i) + "-1.0", deps));
  }
  SchedulingInput in = Input(packages, {Drone("a", 16, 32), Drone("b", 8, 16), Drone("c", 4, 8)});
  in.requirements = {Req("cat/p1", 32)};
  in.learned["cat/p2-1.0"] = {8 * kGi, "OOM on c"};

  auto find = [&](const std::string& name) -> api::Package& {
    return *std::find_if(in.packages.begin(), in.packages.end(),
                         [&](const api::Package& p) { return p.name == name; });
  };
  std::set<std::string> dispatched;
  for (int round = 0; round < 100 && dispatched.size() < packages.size(); ++round) {
    SchedulingDecision d = Schedule(in);
    ASSERT_TRUE(d.blocked.empty());
    for (const auto& a : d.assignments) {
      api::Package& p = find(a.package);
      ASSERT_EQ(p.phase, api::kPhaseNeeded) << p.name;
      for (const auto& dep : p.dependencies) {
        if (dep.rfind("cat/", 0) == 0) {
          EXPECT_EQ(find(dep).phase, api::kPhaseComplete) << p.name;
        }
      }
      ASSERT_TRUE(dispatched.insert(p.name).second) << p.name << " dispatched twice";
      p.phase = api::kPhaseBuilding;
      p.drone = a.drone;
      if (p.name == "cat/p1-1.0") {
        EXPECT_EQ(a.drone, "a");
      }
      if (p.name == "cat/p2-1.0") {
        EXPECT_NE(a.drone, "c");
      }
    }
    for (auto& drone : in.drones) {
      drone.running = static_cast<int>(
          std::count_if(in.packages.begin(), in.packages.end(), [&](const api::Package& p) {
            return p.phase == api::kPhaseBuilding && p.drone == drone.name;
          }));
      ASSERT_LE(drone.running, SlotsFor(drone, in.policy)) << drone.name;
    }
    // One build ends per round, so slots and priorities matter.
    for (auto& p : in.packages) {
      if (p.phase == api::kPhaseBuilding) {
        p.phase = api::kPhaseComplete;
        --std::find_if(in.drones.begin(), in.drones.end(), [&](const DroneCapacity& d) {
            return d.name == p.drone;
          })->running;
        break;
      }
    }
  }
  EXPECT_EQ(dispatched.size(), packages.size());
}

// Nothing downstream of discovery walks a chain of dependencies by
// recursion: a chain as deep as the agent's parser reads (100,000 links)
// gets its critical paths and its one ready package.
TEST(SchedulerTest, AHundredThousandDeepChainIsScheduled) {
  constexpr int kDepth = 100'000;
  auto name = [](int k) { return "cat/p" + std::to_string(k) + "-1"; };
  std::vector<api::Package> chain;
  for (int k = 0; k < kDepth; ++k) {
    chain.push_back(Pkg(name(k), k + 1 < kDepth ? std::vector<std::string>{name(k + 1)}
                                                : std::vector<std::string>{}));
  }
  SchedulingDecision d = Schedule(Input(std::move(chain), {Drone("izar", 16, 64)}));
  EXPECT_EQ(Assigned(d), std::vector<std::string>{name(kDepth - 1) + "@izar"});
  ASSERT_EQ(d.priority.size(), size_t(kDepth));
  EXPECT_EQ(d.priority[kDepth - 1], minutes(10) * kDepth) << "everything waits for it";
  EXPECT_EQ(d.priority[0], minutes(10));
  EXPECT_EQ(d.longest, minutes(10) * kDepth);
}

}  // namespace
}  // namespace swarm::controller

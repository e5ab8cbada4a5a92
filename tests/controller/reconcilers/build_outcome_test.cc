// What an ended build means for its package and drone: one row per outcome.

#include "controller/reconcilers/build_outcome.h"

#include <gtest/gtest.h>

namespace swarm::controller::reconcilers {
namespace {

constexpr int64_t kGi = int64_t(1) << 30;

api::Package Building(const std::string& drone) {
  api::Package p;
  p.name = "dev-qt/qtwebengine-6.8.1";
  p.phase = api::kPhaseBuilding;
  p.drone = drone;
  p.attempts = 1;
  p.assignment = "x-b1";
  p.started_at = WallTime{};
  return p;
}

api::BuildResult Failed(const std::string& cls, const std::string& message, bool oom = false) {
  api::BuildResult r;
  r.assignment = "x-b1";
  r.package = "dev-qt/qtwebengine-6.8.1";
  r.outcome = api::kBuildFailed;
  r.failure_class = cls;
  r.phase = "compile";
  r.message = message;
  r.oom_killed = oom;
  return r;
}

struct Row {
  std::string name;
  api::BuildResult result;
  std::string phase;
  bool excluded;
  bool blamed;
  bool systemic;
  int systemic_reporters = 0;  // drones reporting Systemic within the window, this one included
};

TEST(ApplyBuildResultTest, EachFailureClassHasItsConsequence) {
  std::vector<Row> rows = {
      {"oom", Failed("DroneResources", "Killed signal terminated program cc1plus", true), "Needed",
       true, true, false},
      {"disk full", Failed("DroneResources", "No space left on device"), "Needed", true, true,
       false},
      {"package", Failed("Package", "emerge exited 1"), "Needed", true, false, false},
      {"fetch", Failed("Fetch", "Couldn't download"), "Needed", true, false, false},
      {"systemic, its drone alone", Failed("Systemic", "slot conflict"), "Needed", true, true,
       false, 1},
      {"systemic, a second drone too", Failed("Systemic", "slot conflict"), "Needed", false, false,
       true, 2},
      {"systemic, three drones", Failed("Systemic", "slot conflict"), "Needed", false, false, true,
       3},
      {"others reporting Systemic do not excuse a disk full",
       Failed("DroneResources", "No space left on device"), "Needed", true, true, false, 2},
  };
  api::BuildResult returned;
  returned.outcome = api::kBuildReturned;
  returned.message = "drone is CRITICAL";
  rows.push_back({"returned", returned, "Needed", true, false, false});
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    BuildVerdict v = ApplyBuildResult(Building("tarn"), row.result, "tarn", {16 * kGi, 1},
                                      std::nullopt, WallTime{}, row.systemic_reporters);
    EXPECT_EQ(v.package.phase, row.phase);
    EXPECT_EQ(v.package.assignment, "") << "the lease ends";
    EXPECT_EQ(v.package.drone, "");
    EXPECT_EQ(v.package.attempts, 1) << "attempts are kept";
    EXPECT_EQ(!v.package.excluded_drones.empty(), row.excluded);
    EXPECT_EQ(v.drone_blamed, row.blamed);
    EXPECT_EQ(v.systemic, row.systemic);
    EXPECT_FALSE(v.drone_cleared);
  }
}

TEST(ApplyBuildResultTest, ASuccessKeepsItsCpuTimeAndTheCoresItHad) {
  api::BuildResult r;
  r.assignment = "x-b1";
  r.package = "dev-qt/qtwebengine-6.8.1";
  r.outcome = api::kBuildSucceeded;
  r.duration_ms = 1000;
  r.cpu_ms = 4000;  // four cores busy
  const api::BinaryPackageRef binpkg{"dev-qt/qtwebengine/qtwebengine-6.8.1-1.gpkg.tar", 5, "ab"};
  BuildVerdict v = ApplyBuildResult(Building("tarn"), r, "tarn", {16 * kGi, 2, 16}, binpkg,
                                    WallTime{});
  EXPECT_EQ(v.package.build_ms, 1000);
  EXPECT_EQ(v.package.build_cpu_ms, 4000);
  EXPECT_EQ(v.package.build_cores, 8) << "16 cores, two builds as it ended";
  EXPECT_EQ(CoresAtEnd({16 * kGi, 1, 16}), 16);
  EXPECT_EQ(CoresAtEnd({16 * kGi, 32, 16}), 1) << "never less than one";
  EXPECT_EQ(CoresAtEnd({16 * kGi, 1, 0}), 0) << "cores unknown";
}

TEST(ApplyBuildResultTest, AnOomTeachesTheMemoryFloor) {
  BuildVerdict v =
      ApplyBuildResult(Building("tarn"), Failed("DroneResources", "Killed", true), "tarn",
                       {16 * kGi, 1}, std::nullopt, WallTime{});
  EXPECT_EQ(v.package.needs_memory_over, 16 * kGi);
  EXPECT_EQ(v.package.needs_memory_cause, "OOM on tarn (16Gi)");
  EXPECT_NE(v.event_message.find("more than 16Gi"), std::string::npos) << v.event_message;
  // A later OOM on a smaller drone does not lower it.
  api::Package p = v.package;
  p.phase = api::kPhaseBuilding;
  p.drone = "tiny";
  BuildVerdict w = ApplyBuildResult(p, Failed("DroneResources", "Killed", true), "tiny", {8 * kGi, 1},
                                    std::nullopt, WallTime{});
  EXPECT_EQ(w.package.needs_memory_over, 16 * kGi);
  // A disk-full failure teaches nothing about memory.
  BuildVerdict d = ApplyBuildResult(Building("tarn"), Failed("DroneResources", "No space"), "tarn",
                                    {16 * kGi, 1}, std::nullopt, WallTime{});
  EXPECT_EQ(d.package.needs_memory_over, 0);
}

TEST(ApplyBuildResultTest, NoMemoryFloorIsLearnedAboveTheLargestDrone) {
  struct Row {
    std::string name;
    int64_t memory;   // the OOM-killed drone's, as counted
    int builds;       // beside it as it ended, it included
    int64_t largest;  // the largest drone's; 0 unknown
    int64_t floor_before;
    int64_t floor_after;
    bool nobody_fits;  // the event says no drone can take it
  } rows[] = {
      {"alone on a small drone", 16 * kGi, 1, 64 * kGi, 0, 16 * kGi, false},
      {"alone on the largest", 64 * kGi, 1, 64 * kGi, 0, 64 * kGi, true},
      {"claiming more than the largest has", 10240 * kGi, 1, 64 * kGi, 0, 64 * kGi, true},
      {"shared on the largest", 64 * kGi, 4, 64 * kGi, 0, 16 * kGi, false},
      {"an old floor past a roster that shrank", 16 * kGi, 1, 32 * kGi, 128 * kGi, 32 * kGi, true},
      {"largest unknown before the first pass", 10240 * kGi, 1, 0, 0, 10240 * kGi, false},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    api::Package p = Building("tarn");
    p.needs_memory_over = row.floor_before;
    BuildVerdict v =
        ApplyBuildResult(p, Failed("DroneResources", "Killed", true), "tarn",
                         {row.memory, row.builds, 0, row.largest}, std::nullopt, WallTime{});
    EXPECT_EQ(v.package.needs_memory_over, row.floor_after);
    EXPECT_EQ(v.event_message.find("no drone can take it") != std::string::npos, row.nobody_fits)
        << v.event_message;
  }
}

TEST(ApplyBuildResultTest, AnOomAmongOthersTeachesAShareAndKeepsTheDrone) {
  // Killed while three other builds shared tarn's 16Gi: it needs more than a
  // quarter of a drone to itself, and tarn may take it again with fewer beside it.
  BuildVerdict v = ApplyBuildResult(Building("tarn"), Failed("DroneResources", "Killed", true),
                                    "tarn", {16 * kGi, 4}, std::nullopt, WallTime{});
  EXPECT_EQ(v.package.phase, api::kPhaseNeeded);
  EXPECT_EQ(v.package.needs_memory_over, 4 * kGi);
  EXPECT_EQ(v.package.needs_memory_cause, "OOM on tarn (16Gi shared by 4 builds)");
  EXPECT_TRUE(v.package.excluded_drones.empty());
  EXPECT_FALSE(v.drone_blamed) << "the co-located builds are the cause, not the drone";
  // Killed again alone on tarn: nothing but a larger drone will do.
  api::Package p = v.package;
  p.phase = api::kPhaseBuilding;
  p.drone = "tarn";
  BuildVerdict w = ApplyBuildResult(p, Failed("DroneResources", "Killed", true), "tarn",
                                    {16 * kGi, 1}, std::nullopt, WallTime{});
  EXPECT_EQ(w.package.needs_memory_over, 16 * kGi);
  EXPECT_EQ(w.package.excluded_drones, std::vector<std::string>{"tarn"});
  EXPECT_TRUE(w.drone_blamed);
}

TEST(ApplyBuildResultTest, PackageFailuresOnTwoDronesBlockIt) {
  BuildVerdict first = ApplyBuildResult(Building("izar"), Failed("Package", "emerge exited 1"),
                                        "izar", {0, 1}, std::nullopt, WallTime{});
  EXPECT_EQ(first.package.phase, api::kPhaseNeeded);
  api::Package p = first.package;
  p.phase = api::kPhaseBuilding;
  p.drone = "tarn";
  BuildVerdict second = ApplyBuildResult(p, Failed("Package", "emerge exited 1"), "tarn", {0, 1},
                                         std::nullopt, WallTime{});
  EXPECT_EQ(second.package.phase, api::kPhaseBlocked);
  EXPECT_EQ(second.package.reason.rfind(kFailedOnDrones, 0), 0u) << second.package.reason;
  EXPECT_NE(second.package.reason.find("izar and tarn"), std::string::npos);
  EXPECT_FALSE(second.drone_blamed);
  EXPECT_EQ(second.event_reason, "PackageBlocked");
}

TEST(ApplyBuildResultTest, ASuccessCompletesAndClearsTheDrone) {
  api::BuildResult r;
  r.outcome = api::kBuildSucceeded;
  r.duration_ms = 90000;
  r.index_entry = "CPV: dev-qt/qtwebengine-6.8.1\nSLOT: 5/6.8\n";
  api::BinaryPackageRef ref{"dev-qt/qtwebengine/qtwebengine-6.8.1-1.gpkg.tar", 123, "ab"};
  const WallTime now = WallTime{} + std::chrono::hours(1);
  BuildVerdict v = ApplyBuildResult(Building("tarn"), r, "tarn", {0, 1}, ref, now);
  EXPECT_EQ(v.package.phase, api::kPhaseComplete);
  EXPECT_EQ(v.package.drone, "tarn") << "who built it";
  EXPECT_EQ(v.package.build_ms, 90000);
  ASSERT_TRUE(v.package.binpkg);
  EXPECT_EQ(v.package.binpkg->size, 123);
  EXPECT_EQ(v.package.index_entry, r.index_entry) << "for the binhost's index";
  EXPECT_EQ(v.package.completed_at, now);
  EXPECT_TRUE(v.drone_cleared);
}

TEST(RequeueTest, KeepsAttemptsAndExclusions) {
  api::Package p = Building("tarn");
  p.excluded_drones = {"izar"};
  api::Package q = Requeue(p, api::PackageFailure{"Crash", "gone", "tarn"});
  EXPECT_EQ(q.phase, api::kPhaseNeeded);
  EXPECT_EQ(q.attempts, 1);
  EXPECT_EQ(q.excluded_drones, std::vector<std::string>{"izar"});
  ASSERT_TRUE(q.last_failure);
  EXPECT_EQ(q.last_failure->failure_class, "Crash");
}

}  // namespace
}  // namespace swarm::controller::reconcilers

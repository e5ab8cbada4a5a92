#include "controller/state/watch_log.h"

#include <gtest/gtest.h>

#include "controller/state/package_queue.h"

namespace swarm::controller {
namespace {

api::Package WatchedPkg(const std::string& name, const std::string& phase = api::kPhaseNeeded,
                        const std::string& drone = "") {
  api::Package p;
  p.name = name;
  p.phase = phase;
  p.drone = drone;
  return p;
}

std::vector<std::string> Entries(const WatchLog& log, uint64_t since, WatchKind kind) {
  auto entries = log.Since(since, kind);
  EXPECT_TRUE(entries.ok()) << entries.status().ToString();
  std::vector<std::string> out;
  if (!entries.ok()) return out;
  for (const auto& e : *entries)
    out.push_back(std::string(WatchChangeName(e.change)) + " " + e.name);
  return out;
}

TEST(WatchLogTest, VersionsParseBackAndCountChanges) {
  WatchLog log;
  const std::string start = log.ResourceVersion();
  auto parsed = log.Parse(start);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, 0u);
  log.PackageChanged(WatchedPkg("a/b-1"), WatchedPkg("a/b-1", api::kPhaseComplete));
  log.Committed();
  EXPECT_EQ(log.Current(), 1u);
  EXPECT_EQ(Entries(log, 0, WatchKind::kPackage), (std::vector<std::string>{"MODIFIED a/b-1"}));
  EXPECT_TRUE(Entries(log, 1, WatchKind::kPackage).empty());
  // Ahead of the log, or not a version at all: the client's mistake.
  const std::string epoch = start.substr(0, start.find('.'));
  EXPECT_EQ(log.Parse(epoch + ".7").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log.Parse(epoch + ".x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log.Parse("").status().code(), StatusCode::kInvalidArgument);
}

TEST(WatchLogTest, ABuildStartingOrEndingChangesItsDrones) {
  WatchLog log;
  log.PackageChanged(WatchedPkg("a/b-1"), WatchedPkg("a/b-1", api::kPhaseBuilding, "izar"));
  log.PackageChanged(WatchedPkg("a/b-1", api::kPhaseBuilding, "izar"),
                     WatchedPkg("a/b-1", api::kPhaseComplete, "izar"));
  // A change that leaves the build where it was is not the drone's.
  log.PackageChanged(WatchedPkg("a/c-1", api::kPhaseBuilding, "tarn"),
                     WatchedPkg("a/c-1", api::kPhaseBuilding, "tarn"));
  EXPECT_EQ(Entries(log, 0, WatchKind::kDrone),
            (std::vector<std::string>{"MODIFIED izar", "MODIFIED izar"}));
}

TEST(WatchLogTest, AReplacedQueueAddsAndDeletes) {
  WatchLog log;
  PackageQueue after;
  after.Replace({WatchedPkg("a/b-2"), WatchedPkg("a/c-1")});
  log.QueueReplaced({WatchedPkg("a/b-1"), WatchedPkg("a/c-1")}, after);
  EXPECT_EQ(Entries(log, 0, WatchKind::kPackage),
            (std::vector<std::string>{"ADDED a/b-2", "MODIFIED a/c-1", "DELETED a/b-1"}));
}

TEST(WatchLogTest, WhatFallsOutOfTheLogExpires) {
  WatchLog log(/*capacity=*/4);
  const std::string start = log.ResourceVersion();
  for (int i = 0; i < 5; ++i) log.DroneChanged("izar");
  EXPECT_EQ(log.Parse(start).status().code(), StatusCode::kExpired);
  EXPECT_EQ(log.Since(0, WatchKind::kDrone).status().code(), StatusCode::kExpired);
  EXPECT_EQ(Entries(log, 1, WatchKind::kDrone).size(), 4u);
  // A queue too big for the log expires every version before it at once.
  PackageQueue big;
  big.Replace({WatchedPkg("a/a-1"), WatchedPkg("a/b-1"), WatchedPkg("a/c-1")});
  log.QueueReplaced({}, big);
  EXPECT_EQ(log.Since(5, WatchKind::kPackage).status().code(), StatusCode::kExpired);
  EXPECT_TRUE(log.Parse(log.ResourceVersion()).ok());
}

TEST(WatchLogTest, WaitReturnsForItsKindOnlyOrAtTheDeadline) {
  WatchLog log;
  log.DroneChanged("izar");
  log.Committed();
  const auto now = std::chrono::steady_clock::now();
  EXPECT_TRUE(log.Wait(0, WatchKind::kDrone, now));
  EXPECT_FALSE(log.Wait(0, WatchKind::kPackage, now));
  EXPECT_FALSE(log.Wait(1, WatchKind::kDrone, now));
  log.Close();
  EXPECT_FALSE(log.Wait(0, WatchKind::kDrone, now + std::chrono::minutes(5)));
}

TEST(WatchLogTest, TheRosterComesFromTheSwarmsSpec) {
  WatchLog log;
  api::Swarm swarm;
  swarm.metadata.name = "home";
  swarm.metadata.generation = 1;
  swarm.spec.drones = {{"izar", {}, {}}, {"tarn", {}, {}}};
  log.SwarmChanged(swarm);
  EXPECT_EQ(Entries(log, 0, WatchKind::kSwarm), (std::vector<std::string>{"ADDED home"}));
  EXPECT_EQ(Entries(log, 0, WatchKind::kDrone),
            (std::vector<std::string>{"ADDED izar", "ADDED tarn"}));
  const uint64_t before = log.Current();
  // A status change within the generation is the Swarm's alone.
  log.SwarmChanged(swarm);
  EXPECT_TRUE(Entries(log, before, WatchKind::kDrone).empty());
  swarm.metadata.generation = 2;
  swarm.spec.drones = {{"izar", {}, {}}};
  log.SwarmChanged(swarm);
  EXPECT_EQ(Entries(log, before, WatchKind::kDrone),
            (std::vector<std::string>{"MODIFIED izar", "DELETED tarn"}));
}

}  // namespace
}  // namespace swarm::controller

#include "controller/state/package_queue.h"

#include <gtest/gtest.h>

#include "tests/support/packages.h"

namespace swarm::controller {
namespace {

using ::swarm::testing::Pkg;

std::vector<std::string> Ready(const PackageQueue& q) {
  std::vector<std::string> out;
  q.ForEachReady([&](size_t i) {
    out.push_back(q[i].name);
    return true;
  });
  return out;
}

api::Package Building(api::Package p, const std::string& drone, const std::string& assignment) {
  p.phase = api::kPhaseBuilding;
  p.drone = drone;
  p.assignment = assignment;
  return p;
}

TEST(PackageQueueTest, ReadyAreNeededPackagesWhoseInQueueDependenciesAreComplete) {
  PackageQueue q;
  q.Replace({Pkg("a/lib-1"), Pkg("a/app-1", {"a/lib-1", "x/outside-1"}), Pkg("a/other-1"),
             Pkg("a/done-1", {}, api::kPhaseComplete)});
  EXPECT_EQ(Ready(q), (std::vector<std::string>{"a/lib-1", "a/other-1"}));

  // lib is built: app becomes ready; lib goes back (its file went bad): app is not.
  api::Package lib = q[0];
  lib.phase = api::kPhaseComplete;
  q.Set(0, lib);
  EXPECT_EQ(Ready(q), (std::vector<std::string>{"a/app-1", "a/other-1"}));
  lib.phase = api::kPhaseNeeded;
  q.Set(0, lib);
  EXPECT_EQ(Ready(q), (std::vector<std::string>{"a/lib-1", "a/other-1"}));
}

TEST(PackageQueueTest, ReadyFollowsPrioritiesThenQueueOrder) {
  PackageQueue q;
  q.Replace({Pkg("a/a-1"), Pkg("a/b-1"), Pkg("a/c-1")});
  q.SetPriorities({Duration(10), Duration(30), Duration(10)});
  EXPECT_EQ(Ready(q), (std::vector<std::string>{"a/b-1", "a/a-1", "a/c-1"}));
  // A package that comes back keeps its place by priority.
  q.Set(1, Building(q[1], "izar", "x-b1"));
  EXPECT_EQ(Ready(q), (std::vector<std::string>{"a/a-1", "a/c-1"}));
  api::Package b = q[1];
  b.phase = api::kPhaseNeeded;
  q.Set(1, b);
  EXPECT_EQ(Ready(q), (std::vector<std::string>{"a/b-1", "a/a-1", "a/c-1"}));
  // Stops when told.
  int seen = 0;
  q.ForEachReady([&](size_t) { return ++seen < 2; });
  EXPECT_EQ(seen, 2);
}

TEST(PackageQueueTest, BuildingAndAssignmentsAreIndexedByDrone) {
  PackageQueue q;
  q.Replace({Pkg("a/a-1"), Pkg("a/b-1"), Pkg("a/c-1")});
  q.Set(0, Building(q[0], "izar", "x-b1"));
  q.Set(2, Building(q[2], "izar", "x-b2"));
  q.Set(1, Building(q[1], "tarn", "x-b3"));
  EXPECT_EQ(q.BuildingOn("izar"), (std::set<size_t>{0, 2}));
  EXPECT_EQ(q.BuildingOn("tarn"), (std::set<size_t>{1}));
  EXPECT_TRUE(q.BuildingOn("vega").empty());
  EXPECT_EQ(q.FindAssignment("izar", "x-b2"), 2u);
  EXPECT_FALSE(q.FindAssignment("tarn", "x-b2")) << "another drone's assignment";
  EXPECT_EQ(q.ReadyCount(), 0u);

  // Moved to another drone under a new assignment: the old id is gone.
  q.Set(2, Building(q[2], "tarn", "x-b4"));
  EXPECT_FALSE(q.FindAssignment("izar", "x-b2"));
  EXPECT_EQ(q.BuildingOn("izar"), (std::set<size_t>{0}));
  EXPECT_EQ(q.BuildingOn("tarn"), (std::set<size_t>{1, 2}));
  EXPECT_EQ(q.IndexOf("a/c-1"), 2u);
  EXPECT_FALSE(q.IndexOf("a/zz-1"));
}

TEST(PackageQueueTest, LastBuildTimeIsTheNewestOfTheCatPn) {
  PackageQueue q;
  api::Package old = Pkg("dev-libs/openssl-3.3.2", {}, api::kPhaseComplete);
  old.build_ms = 60000;
  q.Replace({old, Pkg("dev-libs/openssl-3.3.3")});
  EXPECT_EQ(q.LastBuildMs("dev-libs/openssl"), 60000);
  api::Package next = q[1];
  next.phase = api::kPhaseComplete;
  next.build_ms = 75000;
  q.Set(1, next);
  EXPECT_EQ(q.LastBuildMs("dev-libs/openssl"), 75000);
  EXPECT_EQ(q.LastBuildMs("dev-libs/none"), 0);
}

TEST(PackageQueueTest, ReplaceForgetsTheOldQueue) {
  PackageQueue q;
  q.Replace({Building(Pkg("a/a-1"), "izar", "x-b1")});
  q.Replace({Pkg("a/b-1")});
  EXPECT_TRUE(q.BuildingOn("izar").empty());
  EXPECT_FALSE(q.FindAssignment("izar", "x-b1"));
  EXPECT_EQ(Ready(q), std::vector<std::string>{"a/b-1"});
}

}  // namespace
}  // namespace swarm::controller

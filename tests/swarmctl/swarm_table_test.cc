#include "swarmctl/swarm_table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/canned_reconciled.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;

TEST(SwarmTableTest, CountsReadyDrones) {
  Json list = Json::parse(testing::kDroneList);
  std::vector<const Json*> drones;
  for (const auto& d : list["items"]) drones.push_back(&d);
  DroneCounts c = CountReady(drones);
  EXPECT_EQ(c.ready, 1);
  EXPECT_EQ(c.total, 3);
}

TEST(SwarmTableTest, DefaultColumns) {
  std::ostringstream out;
  PrintSwarmTable(Json::parse(testing::kSwarm), {1, 3}, false, CannedNow(), out);
  EXPECT_EQ(
      out.str(),
      "NAME   GENERATION   OBSERVED   DRONES   DEPLOY       TREE           AGE   QUEUE   "
      "CONVERGED\n"
      "home   3            2          1/3      2026.02.05   9fc7a49ad649   2d    -       -\n");
}

TEST(SwarmTableTest, WideAddsDiscoverOnAndConditions) {
  std::ostringstream out;
  PrintSwarmTable(Json::parse(testing::kSwarm), {1, 3}, true, CannedNow(), out);
  EXPECT_EQ(out.str(),
            "NAME   GENERATION   OBSERVED   DRONES   DEPLOY       TREE           AGE   QUEUE   "
            "CONVERGED   DISCOVER ON   CONDITIONS\n"
            "home   3            2          1/3      2026.02.05   9fc7a49ad649   2d    -       "
            "-           desktop       SystemicFault=False\n");
}

TEST(SwarmTableTest, QueueProgressAndConverged) {
  std::ostringstream out;
  PrintSwarmTable(Json::parse(testing::kReconciledSwarm), {3, 3}, false, CannedNow(), out);
  EXPECT_EQ(out.str(),
            "NAME   GENERATION   OBSERVED   DRONES   DEPLOY       TREE           AGE   QUEUE   "
            "CONVERGED\n"
            "home   4            4          3/3      2026.02.05   b001a823ca12   2d    1/6     "
            "True\n");
}

TEST(SwarmTableTest, MissingFieldsShowPlaceholders) {
  std::ostringstream out;
  PrintSwarmTable(Json::parse(R"({"metadata": {"name": "home"}})"), {0, 0}, false, CannedNow(),
                  out);
  EXPECT_EQ(out.str(),
            "NAME   GENERATION   OBSERVED   DRONES   DEPLOY   TREE     AGE         QUEUE   "
            "CONVERGED\n"
            "home   -            -          0/0      <none>   <none>   <unknown>   -       -\n");
}

}  // namespace
}  // namespace swarm::ctl

#include "swarmctl/swarm_description.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/canned_reconciled.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;

TEST(DescribeSwarmTest, ShowsSpecRosterConditionsAndEvents) {
  Json events = Json::parse(R"({"items": [{"type": "Normal", "reason": "SwarmCreated",
    "message": "swarm/home created", "count": 1, "firstTimestamp": "2026-02-03T10:30:00Z",
    "lastTimestamp": "2026-02-03T10:30:00Z"}]})");
  std::vector<const Json*> items = {&events["items"][0]};
  std::ostringstream out;
  DescribeSwarm(Json::parse(testing::kSwarm), items, CannedNow(), out);
  EXPECT_EQ(out.str(),
            "Name:                 home\n"
            "Generation:           3\n"
            "Observed Generation:  2\n"
            "Created:              2026-02-03T10:30:00Z (2d ago)\n"
            "Annotations:          <none>\n"
            "Spec:\n"
            "  Deploy Version:  2026.02.05\n"
            "  Tree Revision:   9fc7a49ad6496faebea1c1d1848199fb6278bcec\n"
            "  Queue:\n"
            "    Discover On:   desktop\n"
            "    Targets:       @world\n"
            "    Emerge Args:   --update --deep --newuse --with-bdeps=y\n"
            "    Packages:      <none>\n"
            "    Requirements:  dev-qt/qtwebengine memory=32Gi\n"
            "  Policy:\n"
            "    Heartbeat Interval:         5s\n"
            "    Heartbeat Grace:            20s\n"
            "    Ground After Failures:      5\n"
            "    Grounding Cooldown:         5m\n"
            "    Systemic Failure Fraction:  0.5\n"
            "    Scheduling:                 critical-path\n"
            "    Require Capacity Labels:    false\n"
            "    Health Probe Interval:      15s\n"
            "    Memory Degraded Percent:    85\n"
            "    Disk Degraded Percent:      90\n"
            "Drones:\n"
            "  NAME             ROLES      LABELS\n"
            "  drone-izar       build      cores=16,memory=32Gi\n"
            "  drone-meridian   build      cores=24\n"
            "  desktop          discover   <none>\n"
            "Status:\n"
            "  Observed Fresh Request:  <none>\n"
            "  Promoted Release:        <none>\n"
            "  Latest Release:          <none>\n"
            "  Queue:                   <none>\n"
            "Conditions:\n"
            "  TYPE            STATUS   REASON    MESSAGE   LAST TRANSITION\n"
            "  SystemicFault   False    NoFault   <none>    2026-02-03T10:30:00Z\n"
            "Events:\n"
            "  TYPE     REASON         AGE   MESSAGE\n"
            "  Normal   SwarmCreated   2d    swarm/home created\n");
}

TEST(DescribeSwarmTest, ShowsTheQueueAndEveryCondition) {
  std::ostringstream out;
  DescribeSwarm(Json::parse(testing::kReconciledSwarm), std::vector<const Json*>{}, CannedNow(),
                out);
  const std::string text = out.str();
  const std::string tail = text.substr(text.find("\nStatus:\n") + 1);
  EXPECT_EQ(
      tail,
      "Status:\n"
      "  Observed Fresh Request:  2026-02-05T09:00:00Z\n"
      "  Promoted Release:        2026-02-04T0300Z-9fc7a49a\n"
      "  Latest Release:          2026-02-04T0300Z-9fc7a49a\n"
      "  Queue:\n"
      "    Tree Revision:   b001a823ca122d7f3a95b7d6ea4bac03c4968e96\n"
      "    Deploy Version:  2026.02.05\n"
      "    Total:           6\n"
      "    Needed:          1\n"
      "    Building:        2\n"
      "    Complete:        1\n"
      "    Failed:          1\n"
      "    Blocked:         1\n"
      "Conditions:\n"
      "  TYPE            STATUS   REASON           MESSAGE                                         "
      " "
      "           LAST TRANSITION\n"
      "  Deployed        True     AllDeployed      every member runs 2026.02.05                    "
      " "
      "           2026-02-05T09:10:00Z\n"
      "  TreeSynced      True     AllSynced        every member has b001a823ca12                   "
      " "
      "           2026-02-05T09:12:00Z\n"
      "  QueueCurrent    True     Current          discovered on desktop against b001a823ca12 and "
      "2026.02.05   2026-02-05T09:15:00Z\n"
      "  SystemicFault   False    NoFault          <none>                                          "
      " "
      "           2026-02-03T10:30:00Z\n"
      "  Converged       True     Converged        members deployed and synced, queue current      "
      " "
      "           2026-02-05T09:15:00Z\n"
      "  DronesReady     True     AllDronesReady   3 of 3 members heartbeat                        "
      " "
      "           2026-02-05T09:00:00Z\n"
      "Events:  <none>\n");
  EXPECT_NE(
      text.find("Annotations:          buildswarm.io/fresh-requested-at=2026-02-05T09:00:00Z\n"),
      std::string::npos)
      << text;
}

TEST(DescribeSwarmTest, EmptyObjectDoesNotCrash) {
  std::ostringstream out;
  DescribeSwarm(Json::object(), std::nullopt, CannedNow(), out);
  EXPECT_NE(out.str().find("Name:                 <none>\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("\nDrones:  <none>\nStatus:\n  Observed Fresh Request:  <none>\n"
                           "  Queue:                   <none>\nConditions:  <none>\n"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("\nEvents:      <unavailable>\n"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace swarm::ctl

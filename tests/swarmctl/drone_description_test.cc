#include "swarmctl/drone_description.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;

std::vector<const Json*> Items(const Json& list) {
  std::vector<const Json*> out;
  for (const auto& e : list["items"]) out.push_back(&e);
  return out;
}

TEST(DescribeDroneTest, JoinedDroneWithEvents) {
  Json events = Json::parse(testing::kIzarEvents);
  std::ostringstream out;
  DescribeDrone(Json::parse(testing::kIzar), Items(events), CannedNow(), out);
  EXPECT_EQ(
      out.str(),
      "Name:    drone-izar\n"
      "Roles:   build\n"
      "Labels:  cores=16\n"
      "         memory=32Gi\n"
      "         site=milky-way\n"
      "Status:\n"
      "  Health:                HEALTHY\n"
      "  Deploy Version:        2026.02.05\n"
      "  Tree Revision:         9fc7a49ad6496faebea1c1d1848199fb6278bcec\n"
      "  Cores:                 16\n"
      "  Memory:                32Gi\n"
      "  Memory Used:           42%\n"
      "  Disk Used:             63%\n"
      "  Load:                  3.20\n"
      "  Last Heartbeat:        2026-02-05T10:30:00Z (5s ago)\n"
      "  Consecutive Failures:  0\n"
      "  Assignments:           <none>\n"
      "  Actions:               <none>\n"
      "Conditions:\n"
      "  TYPE    STATUS   REASON              MESSAGE             LAST TRANSITION\n"
      "  Ready   True     HeartbeatReceived   heartbeats arrive   2026-02-05T09:00:00Z\n"
      "Events:\n"
      "  TYPE      REASON             AGE                MESSAGE\n"
      "  Normal    DroneReady         1h                 drone-izar sent its first heartbeat\n"
      "  Warning   DroneUnreachable   10m (x3 over 2h)   no heartbeat for 20s\n");
}

TEST(DescribeDroneTest, NeverJoinedDroneWithoutEvents) {
  std::ostringstream out;
  DescribeDrone(Json::parse(testing::kDesktop), std::vector<const Json*>{}, CannedNow(), out);
  EXPECT_EQ(out.str(),
            "Name:    desktop\n"
            "Roles:   discover\n"
            "Labels:  <none>\n"
            "Status:\n"
            "  Health:                <none>\n"
            "  Deploy Version:        <none>\n"
            "  Tree Revision:         <none>\n"
            "  Cores:                 -\n"
            "  Memory:                -\n"
            "  Memory Used:           -\n"
            "  Disk Used:             -\n"
            "  Load:                  -\n"
            "  Last Heartbeat:        <never>\n"
            "  Consecutive Failures:  0\n"
            "  Assignments:           <none>\n"
            "  Actions:               <none>\n"
            "Conditions:\n"
            "  TYPE    STATUS    REASON        MESSAGE                     LAST TRANSITION\n"
            "  Ready   Unknown   NeverJoined   no heartbeat received yet   2026-02-05T08:00:00Z\n"
            "Events:  <none>\n");
}

TEST(DescribeDroneTest, ListsAssignmentsAndRoundedMemory) {
  std::ostringstream out;
  DescribeDrone(Json::parse(testing::kMeridian), std::nullopt, CannedNow(), out);
  const std::string text = out.str();
  EXPECT_NE(text.find("  Memory:                31Gi (33300000000 bytes)\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  Assignments:           dev-qt/qtwebengine-6.8.1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  Consecutive Failures:  2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nEvents:  <unavailable>\n"), std::string::npos) << text;
}

TEST(DescribeDroneTest, ShowsTheActionsItHolds) {
  Json drone = Json::parse(testing::kIzar);
  drone["status"]["actions"] = Json::parse(
      R"([{"id": "9a1b", "type": "sync", "state": "Running"},
          {"id": "5f0c", "type": "deploy", "state": "Queued"}])");
  std::ostringstream out;
  DescribeDrone(drone, std::nullopt, CannedNow(), out);
  EXPECT_NE(out.str().find("  Actions:               sync Running, deploy Queued\n"),
            std::string::npos)
      << out.str();
}

TEST(DescribeDroneTest, EmptyObjectDoesNotCrash) {
  std::ostringstream out;
  DescribeDrone(Json::object(), std::vector<const Json*>{}, CannedNow(), out);
  EXPECT_NE(out.str().find("Name:    <none>\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("Conditions:  <none>\n"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace swarm::ctl

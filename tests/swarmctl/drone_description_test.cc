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
      "  Cordoned:              false\n"
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
      "  Builds:                <none>\n"
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
            "  Cordoned:              false\n"
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
            "  Builds:                <none>\n"
            "  Actions:               <none>\n"
            "Conditions:\n"
            "  TYPE    STATUS    REASON        MESSAGE                     LAST TRANSITION\n"
            "  Ready   Unknown   NeverJoined   no heartbeat received yet   2026-02-05T08:00:00Z\n"
            "Events:  <none>\n");
}

TEST(DescribeDroneTest, UnreachableDroneKeepsTheBuildsItLastReported) {
  std::ostringstream out;
  DescribeDrone(Json::parse(testing::kMeridian), std::nullopt, CannedNow(), out);
  const std::string text = out.str();
  EXPECT_NE(text.find("  Health:                DEGRADED (memory 90% >= 85%)\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  Memory:                31Gi (33300000000 bytes)\n"), std::string::npos)
      << text;
  // Past the grace the controller took its assignment back; the agent's
  // last report still names the build.
  EXPECT_NE(text.find("  Consecutive Failures:  2\n"
                      "  Assignments:           <none>\n"
                      "  Builds:                dev-qt/qtwebengine-6.8.1 Running (assignment "
                      "3d5f7a21-c09)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nEvents:  <unavailable>\n"), std::string::npos) << text;
}

TEST(DescribeDroneTest, CordonedGroundedDroneShowsWhyAndItsBuilds) {
  Json drone = Json::parse(testing::kTarn);
  drone["status"]["assignments"] = {"dev-libs/openssl-3.3.3", "net-misc/curl-8.11.1"};
  drone["status"]["builds"].push_back(
      {{"assignment", "7c1e09aa-b42"}, {"package", "dev-libs/openssl-3.3.3"}, {"state", "Queued"}});
  std::ostringstream out;
  DescribeDrone(drone, std::nullopt, CannedNow(), out);
  const std::string text = out.str();
  EXPECT_NE(text.find("  Health:                HEALTHY\n"
                      "  Cordoned:              true\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  Consecutive Failures:  5\n"
                      "  Assignments:           dev-libs/openssl-3.3.3\n"
                      "                         net-misc/curl-8.11.1\n"
                      "  Builds:                dev-qt/qtwebengine-6.8.1 Running (assignment "
                      "9e2b44c0-a17)\n"
                      "                         dev-libs/openssl-3.3.3 Queued (assignment "
                      "7c1e09aa-b42)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  Grounded   True     RepeatedFailures    5 drone failures in a row "
                      "(groundAfterFailures 5); last: dev-qt/qtwebengine-6.8.1: Killed signal"),
            std::string::npos)
      << text;
}

TEST(DescribeDroneTest, OddBuildsAndCordonedDoNotCrash) {
  Json drone = Json::parse(
      R"({"metadata": {"name": "odd"}, "status": {"cordoned": "yes",
          "builds": [3, {"state": "Running"}, {"package": "a/b-1", "assignment": 7}]}})");
  std::ostringstream out;
  DescribeDrone(drone, std::nullopt, CannedNow(), out);
  EXPECT_NE(out.str().find("  Cordoned:              yes\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("  Builds:                <none> Running\n"
                           "                         a/b-1\n"),
            std::string::npos)
      << out.str();
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

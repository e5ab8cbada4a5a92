#include "swarmctl/describe.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/canned_releases.h"
#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;
using testing::FakeApi;

class DescribeTest : public ::testing::Test {
 protected:
  DescribeTest() {
    api_.Reply("GET", "/api/v1/drones", 200, testing::kDroneList);
    api_.Reply("GET", "/api/v1/drones/drone-izar", 200, testing::kIzar);
    api_.Reply("GET", "/api/v1/drones/ghost", 404,
               R"({"kind":"Status","message":"drone \"ghost\" is not in the roster"})");
    api_.Reply("GET", "/api/v1/swarm", 200, testing::kSwarm);
    for (const char* name : {"drone-izar", "drone-meridian", "desktop"}) {
      api_.Reply("GET", std::string("/api/v1/events?kind=Drone&name=") + name, 200,
                 name == std::string("drone-izar") ? testing::kIzarEvents
                                                   : R"({"kind": "EventList", "items": []})");
    }
    api_.Reply("GET", "/api/v1/events?kind=Swarm&name=home", 200,
               R"({"kind": "EventList", "items": []})");
  }

  int Run(DescribeArgs args) { return RunDescribe(args, api_, CannedNow(), out_, err_); }

  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(DescribeTest, OneDroneWithItsEvents) {
  ASSERT_EQ(Run({"drone", "drone-izar"}), 0) << err_.str();
  ASSERT_EQ(api_.requests().size(), 2u);
  EXPECT_EQ(api_.requests()[0].path, "/api/v1/drones/drone-izar");
  EXPECT_EQ(api_.requests()[1].path, "/api/v1/events?kind=Drone&name=drone-izar");
  EXPECT_EQ(out_.str().substr(0, 20), "Name:    drone-izar\n");
  EXPECT_NE(out_.str().find("  Warning   DroneUnreachable   10m (x3 over 2h)   no heartbeat"),
            std::string::npos)
      << out_.str();
  EXPECT_EQ(err_.str(), "");
}

TEST_F(DescribeTest, EveryDroneWithoutAName) {
  ASSERT_EQ(Run({"drones", ""}), 0) << err_.str();
  const std::string text = out_.str();
  EXPECT_EQ(text.substr(0, 17), "Name:    desktop\n");
  EXPECT_NE(text.find("Events:  <none>\n\nName:    drone-izar\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nName:    drone-meridian\n"), std::string::npos) << text;
  EXPECT_EQ(api_.requests().size(), 4u);  // the list, then the events of each drone
}

TEST_F(DescribeTest, EventsThatCannotBeListedAreAWarning) {
  api_.Reply("GET", "/api/v1/events?kind=Drone&name=drone-izar", 500,
             R"({"kind":"Status","message":"store failed"})");
  ASSERT_EQ(Run({"drone", "drone-izar"}), 0);
  EXPECT_NE(out_.str().find("\nEvents:  <unavailable>\n"), std::string::npos) << out_.str();
  EXPECT_EQ(err_.str(),
            "warning: cannot list events of Drone \"drone-izar\": 500 Internal Server Error: "
            "store failed\n");
}

TEST_F(DescribeTest, UnknownDroneIsOneErrorLine) {
  EXPECT_EQ(Run({"drone", "ghost"}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: 404 Not Found: drone \"ghost\" is not in the roster\n");
  EXPECT_EQ(api_.requests().size(), 1u);
}

TEST_F(DescribeTest, TheSwarmWithSwarmEvents) {
  ASSERT_EQ(Run({"swarm", ""}), 0) << err_.str();
  EXPECT_EQ(api_.requests().back().path, "/api/v1/events?kind=Swarm&name=home");
  EXPECT_EQ(out_.str().substr(0, 27), "Name:                 home\n");
  EXPECT_NE(out_.str().find("\nEvents:  <none>\n"), std::string::npos) << out_.str();
}

TEST_F(DescribeTest, ServerDownAndUnknownResource) {
  api_.Fail("GET", "/api/v1/swarm", Unavailable("cannot reach http://127.0.0.1:7800: Connection"));
  EXPECT_EQ(Run({"swarm", ""}), 1);
  EXPECT_EQ(err_.str(), "error: cannot reach http://127.0.0.1:7800: Connection\n");
  err_.str("");
  EXPECT_EQ(Run({"nodes", "x"}), 2);
  EXPECT_EQ(err_.str(),
            "error: unknown resource type \"nodes\" (want swarm, drones or releases)\n");
  err_.str("");
  EXPECT_EQ(Run({"packages", ""}), 2);
  EXPECT_EQ(err_.str(),
            "error: this command does not take \"packages\" (want swarm, drones or releases)\n");
}

TEST_F(DescribeTest, OneReleaseWithItsChangesAndEvents) {
  const std::string path = std::string("/api/v1/releases/") + testing::kLatestRelease;
  const std::string events =
      std::string("/api/v1/events?kind=Release&name=") + testing::kLatestRelease;
  api_.Reply("GET", path, 200, testing::CannedLatestRelease());
  api_.Reply("GET", events, 200, testing::kLatestReleaseEvents);
  ASSERT_EQ(Run({"release", testing::kLatestRelease}), 0) << err_.str();
  ASSERT_EQ(api_.requests().size(), 2u);
  EXPECT_EQ(api_.requests()[0].path, path);
  EXPECT_EQ(api_.requests()[1].path, events);
  const std::string text = out_.str();
  EXPECT_EQ(text.substr(0, text.find('\n')), "Name:            2026-02-05T0400Z-b001a823");
  EXPECT_NE(text.find("Previous:        2026-02-04T0300Z-9fc7a49a\n"
                      "Changes:\n"
                      "  Added (1):    app-misc/hello-2.12\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  Normal   ReleaseCut   6h    release 2026-02-05T0400Z-b001a823 cut"),
            std::string::npos)
      << text;
  EXPECT_EQ(err_.str(), "");
}

TEST_F(DescribeTest, EveryReleaseWithoutAName) {
  api_.Reply("GET", "/api/v1/releases", 200, testing::CannedReleaseList());
  for (const api::Release& r : testing::CannedReleases()) {
    // Only one release's own reply holds its changes.
    Json one = Json::parse(api::ReleaseToJson(r, r.name == testing::kPromotedRelease, true).dump());
    one["status"]["previous"] = "";
    one["status"]["changes"] = {
        {"added", Json::array()}, {"removed", Json::array()}, {"rebuilt", Json::array()}};
    api_.Reply("GET", "/api/v1/releases/" + r.name, 200, one.dump());
    api_.Reply("GET", "/api/v1/events?kind=Release&name=" + r.name, 200,
               R"({"kind": "EventList", "items": []})");
  }
  ASSERT_EQ(Run({"releases", ""}), 0) << err_.str();
  ASSERT_EQ(api_.requests().size(), 7u);  // the list, then each release and its events
  EXPECT_EQ(api_.requests()[1].path, std::string("/api/v1/releases/") + testing::kOldestRelease);
  EXPECT_EQ(api_.requests()[5].path, std::string("/api/v1/releases/") + testing::kLatestRelease);
  EXPECT_EQ(api_.requests()[6].path,
            std::string("/api/v1/events?kind=Release&name=") + testing::kLatestRelease);
  EXPECT_NE(out_.str().find("Events:  <none>\n\nName:            2026-02-04T0300Z-9fc7a49a\n"),
            std::string::npos)
      << out_.str();
}

TEST_F(DescribeTest, UnknownReleaseIsOneErrorLine) {
  api_.Reply(
      "GET", "/api/v1/releases/nope", 404,
      R"({"kind":"Status","code":404,"reason":"NotFound","message":"release \"nope\" not found"})");
  EXPECT_EQ(Run({"release", "nope"}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: 404 Not Found: release \"nope\" not found\n");
  EXPECT_EQ(api_.requests().size(), 1u);
}

}  // namespace
}  // namespace swarm::ctl

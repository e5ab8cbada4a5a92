#include "swarmctl/get.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/canned_reconciled.h"
#include "tests/swarmctl/canned_releases.h"
#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;
using testing::FakeApi;

class GetTest : public ::testing::Test {
 protected:
  GetTest() {
    api_.Reply("GET", "/api/v1/drones", 200, testing::kDroneList);
    api_.Reply("GET", "/api/v1/drones/drone-izar", 200, testing::kIzar);
    api_.Reply("GET", "/api/v1/drones/ghost", 404,
               R"({"kind":"Status","status":"Failure","code":404,"reason":"NotFound",)"
               R"("message":"drone \"ghost\" is not in the roster of swarm/home"})");
    api_.Reply("GET", "/api/v1/swarm", 200, testing::kSwarm);
    api_.Reply("GET", "/api/v1/packages", 200, testing::kPackageList);
  }

  int Run(GetArgs args) { return RunGet(args, api_, clock_, out_, err_); }

  FakeClock clock_{CannedNow()};
  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(GetTest, DronesTable) {
  for (const char* resource : {"drones", "drone"}) {
    out_.str("");
    ASSERT_EQ(Run({resource, "", ""}), 0) << err_.str();
    EXPECT_EQ(out_.str().substr(0, out_.str().find('\n')),
              "NAME             READY     STATUS    HEALTH     DEPLOYED     TREE           CORES"
              "   MEMORY       LAST SEEN   BUILDING");
    EXPECT_NE(out_.str().find("\ndesktop          Unknown   Unknown   <none>"), std::string::npos);
  }
  EXPECT_EQ(err_.str(), "");
}

TEST_F(GetTest, OneDroneByName) {
  ASSERT_EQ(Run({"drones", "drone-izar", ""}), 0) << err_.str();
  EXPECT_EQ(api_.requests().back().path, "/api/v1/drones/drone-izar");
  EXPECT_EQ(out_.str(),
            "NAME         READY   STATUS   HEALTH    DEPLOYED     TREE           CORES   MEMORY   "
            "    LAST SEEN   BUILDING\n"
            "drone-izar   True    Ready    HEALTHY   2026.02.05   9fc7a49ad649   16      32Gi "
            "(42%)   5s          <none>\n");
}

TEST_F(GetTest, JsonIsTheServersListIndentedByFour) {
  ASSERT_EQ(Run({"drones", "", "json"}), 0);
  EXPECT_EQ(out_.str(), Json::parse(testing::kDroneList).dump(4) + "\n");
  EXPECT_EQ(out_.str().rfind("{\n    \"apiVersion\": \"buildswarm.io/v1alpha1\",\n", 0), 0u);
}

TEST_F(GetTest, YamlIsTheSameListAsYaml) {
  ASSERT_EQ(Run({"drones", "", "yaml"}), 0);
  const std::string yaml = out_.str();
  EXPECT_EQ(yaml.substr(0, 51), "apiVersion: buildswarm.io/v1alpha1\nkind: DroneList\n");
  EXPECT_NE(yaml.find("deployVersion: \"2026.02.05\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("status: \"True\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("cores: \"16\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("lastHeartbeatTime: null"), std::string::npos) << yaml;
  YAML::Node n = YAML::Load(yaml);
  ASSERT_EQ(n["items"].size(), 3u);
  EXPECT_EQ(n["items"][1]["status"]["resources"]["memoryBytes"].as<int64_t>(), 34359738368);
  EXPECT_EQ(n["items"][1]["spec"]["labels"]["cores"].as<std::string>(), "16");
}

TEST_F(GetTest, WideTable) {
  ASSERT_EQ(Run({"drones", "", "wide"}), 0);
  EXPECT_NE(out_.str().find("LOAD    FAILURES   ROLES      LABELS"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("   HEALTH REASON       ACTIONS   BUILDING\n"), std::string::npos)
      << out_.str();
}

TEST_F(GetTest, SwarmTableCountsReadyDrones) {
  for (const char* resource : {"swarm", "swarms"}) {
    out_.str("");
    ASSERT_EQ(Run({resource, "", ""}), 0) << err_.str();
    EXPECT_EQ(out_.str(),
              "NAME   GENERATION   OBSERVED   DRONES   DEPLOY       TREE           AGE   QUEUE   "
              "CONVERGED\n"
              "home   3            2          1/3      2026.02.05   9fc7a49ad649   2d    -       "
              "-\n");
  }
}

TEST_F(GetTest, SwarmJsonAndYamlPrintTheObject) {
  ASSERT_EQ(Run({"swarm", "home", "json"}), 0);
  EXPECT_EQ(out_.str(), Json::parse(testing::kSwarm).dump(4) + "\n");
  ASSERT_EQ(api_.requests().size(), 1u);  // no drone list needed
  out_.str("");
  ASSERT_EQ(Run({"swarm", "", "yaml"}), 0);
  EXPECT_NE(out_.str().find("  deploy:\n    version: \"2026.02.05\"\n"), std::string::npos)
      << out_.str();
}

TEST_F(GetTest, SwarmOfAnotherNameIsNotFound) {
  EXPECT_EQ(Run({"swarm", "work", ""}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: swarm \"work\" not found (this controller manages swarm/home)\n");
}

TEST_F(GetTest, UnknownDroneIsOneErrorLine) {
  EXPECT_EQ(Run({"drones", "ghost", ""}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(),
            "error: 404 Not Found: drone \"ghost\" is not in the roster of swarm/home\n");
}

TEST_F(GetTest, BadTokenIsOneErrorLine) {
  api_.Reply("GET", "/api/v1/drones", 401,
             R"({"kind":"Status","status":"Failure","code":401,"reason":"Unauthorized",)"
             R"("message":"unknown bearer token"})");
  EXPECT_EQ(Run({"drones", "", ""}), 1);
  EXPECT_EQ(err_.str(), "error: 401 Unauthorized: unknown bearer token\n");
}

TEST_F(GetTest, ServerDownIsOneErrorLine) {
  api_.Fail("GET", "/api/v1/drones", Unavailable("cannot reach http://127.0.0.1:7800: Connection"));
  EXPECT_EQ(Run({"drones", "", "json"}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: cannot reach http://127.0.0.1:7800: Connection\n");
}

TEST_F(GetTest, OddRepliesAreErrorLines) {
  api_.Reply("GET", "/api/v1/drones", 200, "<html>oops</html>");
  EXPECT_EQ(Run({"drones", "", ""}), 1);
  EXPECT_EQ(err_.str(),
            "error: unexpected reply to GET /api/v1/drones: not JSON: \"<html>oops</html>\"\n");

  err_.str("");
  api_.Reply("GET", "/api/v1/drones", 200, R"({"kind": "DroneList", "items": {"a": 1}})");
  EXPECT_EQ(Run({"drones", "", ""}), 1);
  EXPECT_EQ(err_.str(), "error: unexpected reply to GET /api/v1/drones: no \"items\" list\n");

  err_.str("");
  EXPECT_EQ(Run({"swarm", "", ""}), 1);  // the swarm table needs the drone list too
  EXPECT_EQ(out_.str(), "");
}

TEST_F(GetTest, EmptyListSaysSoOnStderr) {
  api_.Reply("GET", "/api/v1/drones", 200, R"({"kind": "DroneList", "items": []})");
  EXPECT_EQ(Run({"drones", "", ""}), 0);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "No resources found.\n");
}

TEST_F(GetTest, PackagesTableUnderEveryAlias) {
  for (const char* resource : {"packages", "package", "pkg", "pkgs"}) {
    out_.str("");
    ASSERT_EQ(Run({resource, "", ""}), 0) << err_.str();
    EXPECT_EQ(api_.requests().back().path, "/api/v1/packages");
    EXPECT_EQ(
        out_.str().substr(0, out_.str().find('\n')),
        "NAME                            PHASE      DRONE            ATTEMPTS   DEPS   REASON")
        << resource;
    EXPECT_NE(out_.str().find("\nnet-misc/curl-8.11.1            Needed     <none>           0"
                              "          2      <none>\n"),
              std::string::npos)
        << out_.str();
  }
  EXPECT_EQ(err_.str(), "");
}

TEST_F(GetTest, OnePackageByNameIsFilteredFromTheList) {
  ASSERT_EQ(Run({"packages", "media-libs/mesa-24.3.3", ""}), 0) << err_.str();
  EXPECT_EQ(api_.requests().back().path, "/api/v1/packages");
  EXPECT_EQ(out_.str(),
            "NAME                     PHASE     DRONE    ATTEMPTS   DEPS   REASON\n"
            "media-libs/mesa-24.3.3   Blocked   <none>   2          0      "
            "failed to build on drone-izar and dro...\n");

  out_.str("");
  ASSERT_EQ(Run({"pkg", "dev-qt/qtwebengine-6.8.1", ""}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "NAME                       PHASE      DRONE            ATTEMPTS   DEPS   REASON\n"
            "dev-qt/qtwebengine-6.8.1   Building   drone-meridian   2          0      "
            "DroneResources on drone-izar: Killed...\n");

  out_.str("");
  ASSERT_EQ(Run({"pkg", "dev-qt/qtwebengine-6.8.1", "wide"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "NAME                       PHASE      DRONE            ATTEMPTS   DEPS   REASON   "
            "DEPENDENCIES   EXCLUDED     LAST FAILURE                                          "
            "                   TREE\n"
            "dev-qt/qtwebengine-6.8.1   Building   drone-meridian   2          0      <none>   "
            "<none>         drone-izar   DroneResources on drone-izar: Killed signal terminated "
            "program cc1plus   b001a823ca12\n");
}

TEST_F(GetTest, PackagesJsonAndYaml) {
  ASSERT_EQ(Run({"packages", "", "json"}), 0);
  EXPECT_EQ(out_.str(), Json::parse(testing::kPackageList).dump(4) + "\n");

  out_.str("");
  ASSERT_EQ(Run({"packages", "net-misc/curl-8.11.1", "json"}), 0);
  EXPECT_EQ(out_.str(), Json::parse(testing::kPackageList)["items"][3].dump(4) + "\n");

  out_.str("");
  ASSERT_EQ(Run({"packages", "", "yaml"}), 0);
  YAML::Node n = YAML::Load(out_.str());
  EXPECT_EQ(n["kind"].as<std::string>(), "PackageList");
  ASSERT_EQ(n["items"].size(), 6u);
  EXPECT_EQ(n["items"][2]["status"]["lastFailure"]["class"].as<std::string>(), "DroneResources");
  EXPECT_EQ(n["items"][0]["status"]["deployVersion"].as<std::string>(), "2026.02.05");
  EXPECT_TRUE(n["items"][0]["status"]["lastFailure"].IsNull());
}

TEST_F(GetTest, UnknownPackageIsOneErrorLine) {
  EXPECT_EQ(Run({"packages", "dev-libs/nope-1", "json"}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: package \"dev-libs/nope-1\" not found in the queue\n");
}

TEST_F(GetTest, EmptyQueueSaysSoOnStderr) {
  api_.Reply("GET", "/api/v1/packages", 200, R"({"kind": "PackageList", "items": []})");
  EXPECT_EQ(Run({"packages", "", "wide"}), 0);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "No resources found.\n");
}

TEST_F(GetTest, PackagesErrorsAreOneLine) {
  api_.Reply("GET", "/api/v1/packages", 404,
             R"({"kind":"Status","message":"no Swarm applied yet"})");
  EXPECT_EQ(Run({"packages", "", ""}), 1);
  EXPECT_EQ(err_.str(), "error: 404 Not Found: no Swarm applied yet\n");

  err_.str("");
  api_.Reply("GET", "/api/v1/packages", 200, R"({"kind": "PackageList"})");
  EXPECT_EQ(Run({"packages", "", ""}), 1);
  EXPECT_EQ(err_.str(), "error: unexpected reply to GET /api/v1/packages: no \"items\" list\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(GetTest, UsageErrorsSendNothing) {
  EXPECT_EQ(Run({"pods", "", ""}), 2);
  EXPECT_EQ(err_.str(),
            "error: unknown resource type \"pods\" (want swarm, drones, packages, events or "
            "releases)\n");
  err_.str("");
  EXPECT_EQ(Run({"drones", "", "xml"}), 2);
  EXPECT_EQ(err_.str(), "error: unknown output format \"xml\" (want wide, json, yaml or name)\n");
  EXPECT_TRUE(api_.requests().empty());
}

TEST_F(GetTest, EventsNewestLastAndForOneObject) {
  const std::string events =
      R"({"kind":"EventList","metadata":{"resourceVersion":"e.4"},"items":[)"
      R"({"id":1,"involvedObject":{"kind":"Swarm","name":"home"},"type":"Normal",)"
      R"("reason":"SwarmCreated","message":"swarm/home created","count":1,)"
      R"("firstTimestamp":"2026-02-05T11:00:00Z","lastTimestamp":"2026-02-05T11:00:00Z"},)"
      R"({"id":2,"involvedObject":{"kind":"Drone","name":"drone-izar"},"type":"Warning",)"
      R"("reason":"DroneGrounded","message":"grounded\nafter 5 failures","count":3,)"
      R"("firstTimestamp":"2026-02-05T11:10:00Z","lastTimestamp":"2026-02-05T11:50:00Z"}]})";
  api_.Reply("GET", "/api/v1/events", 200, events);
  api_.Reply("GET", "/api/v1/events?kind=Drone&name=drone-izar", 200, events);
  GetArgs args{"events", "", ""};
  ASSERT_EQ(Run(args), 0) << err_.str();
  const std::string all = out_.str();
  EXPECT_NE(all.find("LAST SEEN"), std::string::npos) << all;
  EXPECT_LT(all.find("SwarmCreated"), all.find("DroneGrounded")) << all;
  EXPECT_NE(all.find("drone/drone-izar"), std::string::npos) << all;
  EXPECT_NE(all.find("(x3 over"), std::string::npos) << all;
  EXPECT_NE(all.find("grounded after 5 failures"), std::string::npos) << all;
  out_.str("");
  args.for_object = "drone/drone-izar";
  ASSERT_EQ(Run(args), 0) << err_.str();
  EXPECT_EQ(api_.requests().back().path, "/api/v1/events?kind=Drone&name=drone-izar");
}

TEST_F(GetTest, ForIsCheckedBeforeAnythingIsSent) {
  GetArgs args{"events", "", ""};
  args.for_object = "pod/x";
  EXPECT_EQ(Run(args), 2);
  EXPECT_NE(err_.str().find(
                "--for \"pod/x\" is not drone/NAME, package/NAME, release/NAME or swarm/NAME"),
            std::string::npos)
      << err_.str();
  args = {"drones", "", ""};
  args.for_object = "drone/x";
  err_.str("");
  EXPECT_EQ(Run(args), 2);
  EXPECT_NE(err_.str().find("--for goes with get events"), std::string::npos) << err_.str();
  EXPECT_TRUE(api_.requests().empty());
}

TEST_F(GetTest, NameOutputIsKindSlashNamePerLine) {
  ASSERT_EQ(Run({"drones", "", "name"}), 0) << err_.str();
  const std::string drones = out_.str();
  EXPECT_NE(drones.find("drone/drone-izar\n"), std::string::npos) << drones;
  for (size_t at = 0; at < drones.size(); at = drones.find('\n', at) + 1) {
    EXPECT_EQ(drones.compare(at, 6, "drone/"), 0) << drones;
  }
  out_.str("");
  ASSERT_EQ(Run({"swarm", "", "name"}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "swarm/home\n");
}

TEST_F(GetTest, ReleasesTableUnderEitherName) {
  api_.Reply("GET", "/api/v1/releases", 200, testing::CannedReleaseList());
  for (const char* resource : {"releases", "release"}) {
    out_.str("");
    ASSERT_EQ(Run({resource, "", ""}), 0) << err_.str();
    EXPECT_EQ(out_.str(),
              "NAME                        PACKAGES   SIZE      AGE   PROMOTED\n"
              "2026-02-03T0200Z-9fc7a49a   2          7.0 MiB   2d\n"
              "2026-02-04T0300Z-9fc7a49a   3          1.2 GiB   1d    *\n"
              "2026-02-05T0400Z-b001a823   3          1.2 GiB   6h\n");
  }
  EXPECT_EQ(api_.requests().back().path, "/api/v1/releases");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(GetTest, OneReleaseByNameAndItsObjectWithPackages) {
  const std::string path = std::string("/api/v1/releases/") + testing::kLatestRelease;
  api_.Reply("GET", path, 200, testing::CannedLatestRelease());
  ASSERT_EQ(Run({"release", testing::kLatestRelease, ""}), 0) << err_.str();
  EXPECT_EQ(api_.requests().back().path, path);
  EXPECT_EQ(out_.str(),
            "NAME                        PACKAGES   SIZE      AGE   PROMOTED\n"
            "2026-02-05T0400Z-b001a823   3          1.2 GiB   6h\n");
  out_.str("");
  ASSERT_EQ(Run({"release", testing::kLatestRelease, "json"}), 0) << err_.str();
  const Json printed = Json::parse(out_.str());
  EXPECT_EQ(printed, Json::parse(testing::CannedLatestRelease()));
  EXPECT_EQ(printed["status"]["packages"].size(), 3u);
}

TEST_F(GetTest, ReleasesAsNamesJsonAndYaml) {
  api_.Reply("GET", "/api/v1/releases", 200, testing::CannedReleaseList());
  ASSERT_EQ(Run({"releases", "", "name"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "release/2026-02-03T0200Z-9fc7a49a\n"
            "release/2026-02-04T0300Z-9fc7a49a\n"
            "release/2026-02-05T0400Z-b001a823\n");
  out_.str("");
  ASSERT_EQ(Run({"releases", "", "json"}), 0) << err_.str();
  EXPECT_EQ(Json::parse(out_.str()), Json::parse(testing::CannedReleaseList()));
  out_.str("");
  ASSERT_EQ(Run({"releases", "", "yaml"}), 0) << err_.str();
  EXPECT_EQ(out_.str().rfind("apiVersion: buildswarm.io/v1alpha1\nkind: ReleaseList\n", 0), 0u)
      << out_.str();
}

TEST_F(GetTest, ReleasesErrorsAreOneLine) {
  api_.Reply("GET", "/api/v1/releases", 200, R"({"kind": "ReleaseList"})");
  api_.Reply(
      "GET", "/api/v1/releases/nope", 404,
      R"({"kind":"Status","code":404,"reason":"NotFound","message":"release \"nope\" not found"})");
  EXPECT_EQ(Run({"releases", "", ""}), 1);
  EXPECT_EQ(err_.str(), "error: unexpected reply to GET /api/v1/releases: no \"items\" list\n");
  err_.str("");
  EXPECT_EQ(Run({"release", "nope", ""}), 1);
  EXPECT_EQ(err_.str(), "error: 404 Not Found: release \"nope\" not found\n");
  err_.str("");
  api_.Reply("GET", "/api/v1/releases", 200, R"({"kind": "ReleaseList", "items": []})");
  EXPECT_EQ(Run({"releases", "", ""}), 0);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "No resources found.\n");
}

TEST_F(GetTest, ReleasesHaveNoWatch) {
  GetArgs args{"releases", "", ""};
  args.watch = true;
  EXPECT_EQ(Run(args), 2);
  EXPECT_EQ(err_.str(),
            "error: --watch does not go with get releases: the API has no watch on releases (get "
            "events --watch shows them cut and promoted)\n");
  EXPECT_TRUE(api_.requests().empty());
}

TEST_F(GetTest, EventsForARelease) {
  const std::string path =
      std::string("/api/v1/events?kind=Release&name=") + testing::kLatestRelease;
  api_.Reply("GET", path, 200, testing::kLatestReleaseEvents);
  GetArgs args{"events", "", ""};
  args.for_object = std::string("release/") + testing::kLatestRelease;
  ASSERT_EQ(Run(args), 0) << err_.str();
  EXPECT_EQ(api_.requests().back().path, path);
  EXPECT_NE(out_.str().find("Normal   ReleaseCut   release/2026-02-05T0400Z-b001a823   release "),
            std::string::npos)
      << out_.str();
}

}  // namespace
}  // namespace swarm::ctl

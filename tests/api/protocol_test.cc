#include "api/protocol.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/packages_index.h"

namespace swarm::api {
namespace {

using nlohmann::json;

TEST(ActionJsonTest, EachTypeCarriesItsFieldsAndRoundTrips) {
  Action discover{"p-3", kActionDiscover, "", "", {"@world"}, "--update --deep", "rev2", "v1"};
  json j = ActionToJson(discover);
  EXPECT_EQ(j, json::parse(R"({"id": "p-3", "type": "discover", "targets": ["@world"],
      "emergeArgs": "--update --deep", "treeRevision": "rev2", "deployVersion": "v1",
      "queueSpec": ""})"));
  auto back = ActionFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->targets, discover.targets);
  EXPECT_EQ(back->tree_revision, "rev2");

  EXPECT_EQ(ActionToJson({"p-1", kActionDeploy, "v1", "", {}, "", "", ""}),
            json::parse(R"({"id": "p-1", "type": "deploy", "version": "v1"})"));
  EXPECT_EQ(ActionToJson({"p-2", kActionSync, "", "rev2", {}, "", "", ""}),
            json::parse(R"({"id": "p-2", "type": "sync", "revision": "rev2"})"));
}

TEST(ActionJsonTest, BadActionsNameTheProblem) {
  auto missing = ActionFromJson(json::parse(R"({"type": "deploy"})"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("id and type are required"), std::string::npos);
  auto wrong = ActionFromJson(json::parse(R"({"id": "x", "type": "sync", "revision": 7})"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("revision: expected a string, got number"),
            std::string::npos)
      << wrong.status().message();
}

TEST(ActionResultJsonTest, RoundTripsWithPackages) {
  ActionResult r;
  r.id = "p-3";
  r.type = kActionDiscover;
  r.succeeded = true;
  r.message = "resolved 2 packages";
  r.deploy_version = "v1";
  r.tree_revision = "rev2";
  r.packages = {{"a/lib-1", {}}, {"a/app-1", {"a/lib-1"}, 60000, 480000, 8}};
  EXPECT_FALSE(ActionResultToJson(r)["packages"][0].contains("estimatedCores"))
      << "sent only when known";
  auto back = ActionResultFromJson(ActionResultToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->succeeded);
  ASSERT_EQ(back->packages.size(), 2u);
  EXPECT_EQ(back->packages[1].dependencies, std::vector<std::string>{"a/lib-1"});
  EXPECT_EQ(back->packages[1], r.packages[1]);
  auto too_wide = ActionResultFromJson(json::parse(
      R"({"id": "p", "type": "discover", "packages": [{"name": "a/b-1", "estimatedCores": 5000}]})"));
  ASSERT_FALSE(too_wide.ok());
  EXPECT_NE(too_wide.status().message().find("packages[0].estimatedCores: must be from 0 to 4096"),
            std::string::npos)
      << too_wide.status().message();

  auto bad = ActionResultFromJson(json::parse(
      R"({"id": "p", "type": "sync", "succeeded": "yes", "packages": [{"dependencies": []}]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("succeeded: expected a boolean"), std::string::npos);
  EXPECT_NE(bad.status().message().find("packages[0].name: required"), std::string::npos)
      << bad.status().message();
}

// Estimates are bounded as a build's own times are: the controller's
// scheduler adds them up along chains of dependencies, and two estimates of
// 2^63 - 1 ms overflowed its sums.
TEST(ActionResultJsonTest, DiscoveredEstimatesAreBoundedAsBuildTimesAre) {
  auto decode = [](const std::string& package) {
    return ActionResultFromJson(
        json::parse(R"({"id": "p", "type": "discover", "packages": [)" + package + "]}"));
  };
  const std::string year = std::to_string(kMaxBuildMs);
  EXPECT_TRUE(decode(R"({"name": "a/b-1", "estimatedMs": )" + year + "}").ok());
  EXPECT_TRUE(decode(R"({"name": "a/b-1", "estimatedMs": 1000, "estimatedCpuMs": 4096000})").ok());
  const std::pair<std::string, std::string> refused[] = {
      {R"({"name": "a/b-1", "estimatedMs": 9223372036854775807})",
       "packages[0].estimatedMs: must be from 0 to " + year},
      {R"({"name": "a/b-1", "estimatedMs": -1})", "packages[0].estimatedMs: must be from 0"},
      {R"({"name": "a/b-1", "estimatedMs": 1000, "estimatedCpuMs": 4096001})",
       "packages[0].estimatedCpuMs: must be from 0 to estimatedMs x 4096 (4096000)"},
      {R"({"name": "a/b-1", "estimatedCpuMs": 1})",
       "packages[0].estimatedCpuMs: must be from 0 to estimatedMs x 4096 (0)"},
      {R"({"name": "a/b-1", "estimatedMs": 1000, "estimatedCpuMs": -1})",
       "packages[0].estimatedCpuMs: must be from 0"},
  };
  for (const auto& [package, message] : refused) {
    auto r = decode(package);
    ASSERT_FALSE(r.ok()) << package;
    EXPECT_NE(r.status().message().find(message), std::string::npos) << r.status().message();
  }
}

TEST(PackageJsonTest, ApiShapeRoundTrips) {
  Package p;
  p.name = "dev-libs/openssl-3.3.3";
  p.dependencies = {"sys-apps/systemd-utils-6.22.0"};
  p.phase = kPhaseBlocked;
  p.attempts = 2;
  p.excluded_drones = {"drone-tarn"};
  p.last_failure = PackageFailure{"Package", "compile failed", "drone-izar"};
  p.reason = "failed with Package on two drones";
  p.tree_revision = "rev2";
  p.deploy_version = "v1";
  p.needs_memory_over = int64_t(16) << 30;
  p.needs_memory_cause = "OOM on drone-tarn (16Gi)";
  p.package_failure_drones = {"drone-izar"};
  p.binpkg =
      BinaryPackageRef{"dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", 31244, "ab12", "cd34", "ef56"};
  p.build_ms = 61000;
  p.completed_at = ParseTime("2026-02-05T16:30:00Z").value();
  p.index_entry = "CPV: dev-libs/openssl-3.3.3\nSIZE: 31244\n";
  json j = PackageToJson(p);
  EXPECT_EQ(j["status"]["indexEntry"], p.index_entry);
  EXPECT_EQ(j["status"]["binpkg"]["size"], 31244);
  EXPECT_EQ(j["status"]["binpkg"]["md5"], "cd34");
  EXPECT_EQ(j["status"]["binpkg"]["sha1"], "ef56");
  EXPECT_EQ(j["status"]["completedAt"], "2026-02-05T16:30:00Z");
  EXPECT_TRUE(j["status"]["startedAt"].is_null());
  EXPECT_EQ(j["metadata"]["name"], p.name);
  EXPECT_EQ(j["status"]["lastFailure"]["class"], "Package");
  auto back = PackageFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(PackageToJson(*back), j);
  Package plain;
  plain.name = "a/b-1";
  EXPECT_TRUE(PackageToJson(plain)["status"]["lastFailure"].is_null());
}

TEST(BuildJsonTest, IndexEntryIsOptionalAndBounded) {
  BuildResult r;
  r.assignment = "x-b7";
  r.package = "dev-libs/openssl-3.3.3";
  r.outcome = kBuildSucceeded;
  r.binpkg = BinaryPackageRef{"dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", 31244, "ab12"};
  EXPECT_FALSE(BuildResultToJson(r).contains("indexEntry")) << "none is sent when there is none";
  auto none = BuildResultFromJson(BuildResultToJson(r));
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->index_entry, "");

  r.index_entry = "BUILD_ID: 1\nCPV: dev-libs/openssl-3.3.3\nSIZE: 31244\n";
  auto back = BuildResultFromJson(BuildResultToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->index_entry, r.index_entry);

  json big = BuildResultToJson(r);
  big["indexEntry"] = std::string(kMaxIndexEntryBytes + 1, 'x');
  auto refused = BuildResultFromJson(big);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("indexEntry: 65537 bytes, over the limit of 65536"),
            std::string::npos)
      << refused.status().message();
  const std::string head = "CPV: dev-libs/openssl-3.3.3\nRDEPEND: ";
  big["indexEntry"] = head + std::string(kMaxIndexEntryBytes - head.size(), 'x');
  EXPECT_TRUE(BuildResultFromJson(big).ok()) << "the limit itself is allowed";
  big["indexEntry"] = 7;
  EXPECT_FALSE(BuildResultFromJson(big).ok());
}

TEST(BuildJsonTest, AssignmentRoundTripsAndNeedsIdAndPackage) {
  BuildAssignment a{"x-b7", "dev-libs/openssl-3.3.3", 2, 61000, "9fc7a49a"};
  auto back = BuildAssignmentFromJson(BuildAssignmentToJson(a));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, "x-b7");
  EXPECT_EQ(back->attempt, 2);
  EXPECT_EQ(back->expected_ms, 61000);
  EXPECT_EQ(back->tree_revision, "9fc7a49a");
  // From a controller that predates the stamp: unchecked.
  auto old = BuildAssignmentFromJson(json::parse(R"({"id": "x", "package": "a/b-1"})"));
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->tree_revision, "");
  EXPECT_FALSE(BuildAssignmentFromJson(json::parse(R"({"id": "x"})")).ok());
}

TEST(BuildJsonTest, ResultRoundTrips) {
  BuildResult r;
  r.assignment = "x-b7";
  r.package = "dev-libs/openssl-3.3.3";
  r.outcome = kBuildSucceeded;
  r.duration_ms = 5000;
  r.binpkg = BinaryPackageRef{"dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", 10, "ff"};
  auto back = BuildResultFromJson(BuildResultToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(BuildResultToJson(*back), BuildResultToJson(r));
}

TEST(BuildJsonTest, AResultsDigestsForTheIndexAreNeverTakenFromTheDrone) {
  json j = json::parse(R"({"assignment": "x-b7", "package": "a/b-1", "outcome": "Succeeded",
      "binpkg": {"path": "a/b/b-1-1.gpkg.tar", "size": 10, "sha256": "ff",
                 "md5": "00000000000000000000000000000000", "sha1": "00"}})");
  auto r = BuildResultFromJson(j);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->binpkg->md5, "") << "the controller hashes what it received";
  EXPECT_EQ(r->binpkg->sha1, "");
}

TEST(BuildJsonTest, CpuTimeIsSentOnlyWhenKnown) {
  api::BuildResult r;
  r.assignment = "a";
  r.package = "p";
  r.outcome = api::kBuildReturned;
  r.duration_ms = 1000;
  EXPECT_FALSE(BuildResultToJson(r).contains("cpuMs")) << "a controller before it reads it not";
  r.cpu_ms = 7500;
  EXPECT_EQ(BuildResultToJson(r)["cpuMs"], 7500);
  auto back = BuildResultFromJson(BuildResultToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->cpu_ms, 7500);
}

TEST(BuildJsonTest, ResultFormIsChecked) {
  struct Case {
    const char* body;
    const char* error;
  } cases[] = {
      {R"({"assignment": "a", "package": "p", "outcome": "Done"})", "outcome: expected"},
      {R"({"assignment": "a", "package": "p", "outcome": "Failed", "failureClass": "Oops"})",
       "failureClass: expected"},
      {R"({"assignment": "a", "package": "p", "outcome": "Succeeded"})", "binpkg: required"},
      {R"({"package": "p", "outcome": "Returned"})", "assignment: required"},
      {R"({"assignment": "a", "package": "p", "outcome": "Returned", "durationMs": -1})",
       "durationMs: must be from 0 to"},
      {R"({"assignment": "a", "package": "p", "outcome": "Returned", "durationMs": 10,
           "cpuMs": -1})",
       "cpuMs: must be from 0 to durationMs x 4096 (40960)"},
      {R"({"assignment": "a", "package": "p", "outcome": "Returned", "durationMs": 10,
           "cpuMs": 40961})",
       "cpuMs: must be from 0 to durationMs x 4096 (40960)"},
      {R"({"assignment": "a", "package": "p", "outcome": "Failed", "failureClass": "Package",
           "oomKilled": "yes"})",
       "oomKilled: expected a boolean"},
      {R"({"assignment": "a", "package": "p", "outcome": "Succeeded",
           "binpkg": {"path": "x", "size": "big"}})",
       "binpkg.size: expected an integer"},
      {R"([1, 2])", "expected a JSON object"},
  };
  for (const auto& c : cases) {
    auto r = BuildResultFromJson(json::parse(c.body));
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_NE(r.status().message().find(c.error), std::string::npos)
        << c.body << " -> " << r.status().message();
  }
}

}  // namespace
}  // namespace swarm::api

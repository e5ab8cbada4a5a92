// What the controller takes of what a drone sends (api/limits.h): text cut
// at a character boundary, names and lists over their limit refused, each
// where the codec reads it.

#include "api/limits.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/codec.h"
#include "api/protocol.h"

namespace swarm::api {
namespace {

using nlohmann::json;

const std::string kEuro = "\xE2\x82\xAC";  // three bytes

std::string Euros(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += kEuro;
  return s;
}

// The error of `r`, "" when it decoded.
template <typename T>
std::string ErrorOf(const Result<T>& r) {
  return r.ok() ? "" : r.status().message();
}

TEST(HeartbeatLimitsTest, AHealthReasonIsCutWithoutSplittingACharacter) {
  json j = {{"health", "DEGRADED"}, {"healthReason", Euros(1000)}};  // 3000 bytes
  auto r = DroneReportFromJson(j);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->health_reason, Euros(kMaxMessageBytes / 3)) << "2046 bytes: whole characters";
}

TEST(HeartbeatLimitsTest, NamesAndListsOverTheirLimitAreRefusedNamingTheField) {
  auto build = [](int i) {
    return json{
        {"assignment", "x-b" + std::to_string(i)}, {"package", "a/b-1"}, {"state", "Running"}};
  };
  json builds = json::array();
  for (size_t i = 0; i <= kMaxReportedBuilds; ++i) builds.push_back(build(i));
  json actions = json::array();
  for (size_t i = 0; i <= kMaxReportedActions; ++i) actions.push_back({{"id", "a"}});
  struct Row {
    json body;
    std::string error;
  } rows[] = {
      {{{"deployVersion", std::string(kMaxTokenBytes + 1, 'v')}},
       "deployVersion: 257 bytes, over the limit of 256"},
      {{{"treeRevision", std::string(300, 'f')}}, "treeRevision: 300 bytes, over the limit of 256"},
      {{{"builds", json::array({{{"assignment", std::string(257, 'x')}}})}},
       "builds[0].assignment: 257 bytes, over the limit of 256"},
      {{{"builds", builds}}, "builds: 1025 entries, over the limit of 1024"},
      {{{"actions", actions}}, "actions: 17 entries, over the limit of 16"},
      {{{"resources", {{"cores", -4}}}}, "resources: cores and memoryBytes must not be negative"},
  };
  for (const Row& row : rows) {
    EXPECT_NE(ErrorOf(DroneReportFromJson(row.body)).find(row.error), std::string::npos)
        << row.error << " -> " << ErrorOf(DroneReportFromJson(row.body));
  }
  builds.erase(builds.end() - 1);
  EXPECT_EQ(ErrorOf(DroneReportFromJson({{"builds", builds}})), "") << "the limit itself";
  EXPECT_EQ(ErrorOf(DroneReportFromJson({{"deployVersion", std::string(256, 'v')}})), "");
}

TEST(ActionResultLimitsTest, TextIsCutAndItsOutputKeepsItsEnd) {
  json j = {{"id", "p-1"},
            {"type", "sync"},
            {"message", std::string(kMaxMessageBytes, 'm') + "LOST"},
            {"outputTail", "LOST" + kEuro + std::string(kMaxTailBytes - 2, 'o')}};
  auto r = ActionResultFromJson(j);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->message, std::string(kMaxMessageBytes, 'm'));
  EXPECT_EQ(r->output_tail, std::string(kMaxTailBytes - 2, 'o'))
      << "not the last two bytes of the euro sign";
}

TEST(ActionResultLimitsTest, ADiscoveryOverItsLimitsIsRefused) {
  json deps = json::array();
  for (size_t i = 0; i <= kMaxDependencies; ++i) deps.push_back("a/b-1");
  json too_many_deps = {{"id", "p"},
                        {"type", "discover"},
                        {"packages", json::array({{{"name", "a/c-1"}, {"dependencies", deps}}})}};
  EXPECT_NE(ErrorOf(ActionResultFromJson(too_many_deps))
                .find("packages[0].dependencies: 10001 entries, over the limit of 10000"),
            std::string::npos)
      << ErrorOf(ActionResultFromJson(too_many_deps));
  json long_name = {{"id", "p"},
                    {"type", "discover"},
                    {"packages", json::array({{{"name", "a/" + std::string(300, 'c') + "-1"}}})}};
  EXPECT_NE(ErrorOf(ActionResultFromJson(long_name))
                .find("packages[0].name: 304 bytes, over the limit of 256"),
            std::string::npos);
  json packages = json::array();
  for (size_t i = 0; i <= kMaxDiscoveredPackages; ++i) packages.push_back(json::object());
  json too_many = {{"id", "p"}, {"type", "discover"}, {"packages", std::move(packages)}};
  EXPECT_NE(ErrorOf(ActionResultFromJson(too_many))
                .find("packages: 200001 entries, over the limit of 200000"),
            std::string::npos);
}

json Succeeded(const std::string& index_entry) {
  return {{"assignment", "x-b1"},
          {"package", "dev-libs/openssl-3.3.3"},
          {"outcome", "Succeeded"},
          {"binpkg",
           {{"path", "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar"},
            {"size", 10},
            {"sha256", std::string(64, 'a')}}},
          {"indexEntry", index_entry}};
}

TEST(BuildResultLimitsTest, TextIsCutAndALogTailKeepsItsEnd) {
  json j = {{"assignment", "x-b1"},
            {"package", "a/b-1"},
            {"outcome", "Failed"},
            {"failureClass", "Package"},
            {"message", Euros(1000)},
            {"logTail", std::string(100, 'x') + std::string(kMaxTailBytes, 'y')}};
  auto r = BuildResultFromJson(j);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->message, Euros(kMaxMessageBytes / 3));
  EXPECT_EQ(r->log_tail, std::string(kMaxTailBytes, 'y'));
}

TEST(BuildResultLimitsTest, NamesPathsAndEntriesThatCannotBeTrustedAreRefused) {
  json long_phase = {{"assignment", "x-b1"},
                     {"package", "a/b-1"},
                     {"outcome", "Failed"},
                     {"failureClass", "Package"},
                     {"phase", std::string(257, 'p')}};
  json long_path = Succeeded("");
  long_path["binpkg"]["path"] = std::string(600, 'p');
  struct Row {
    json body;
    std::string error;
  } rows[] = {
      {long_phase, "phase: 257 bytes, over the limit of 256"},
      {long_path, "binpkg.path: 600 bytes, over the limit of 512"},
      {Succeeded("CPV: dev-libs/libressl-3.9.2\nSIZE: 10\n"),
       "indexEntry: CPV \"dev-libs/libressl-3.9.2\" is not the package "
       "\"dev-libs/openssl-3.3.3\""},
      {Succeeded("CPV: dev-libs/openssl-3.3.3\n\nCPV: x/y-1\n"),
       "indexEntry: index entry line 2 is blank"},
      {Succeeded("CPV: dev-libs/openssl-3.3.3\nUSE: ssl\rPATH: /etc/shadow\n"),
       "indexEntry: index entry line 2 holds a NUL or CR"},
      {Succeeded("SIZE: 10\n"), "indexEntry: index entry has no CPV"},
  };
  for (const Row& row : rows) {
    EXPECT_NE(ErrorOf(BuildResultFromJson(row.body)).find(row.error), std::string::npos)
        << row.error << " -> " << ErrorOf(BuildResultFromJson(row.body));
  }
  EXPECT_EQ(ErrorOf(BuildResultFromJson(Succeeded("CPV: dev-libs/openssl-3.3.3\nSLOT: 0/3\n"))),
            "");
}

}  // namespace
}  // namespace swarm::api

// A drone is whoever holds its agent token and client certificate, and such
// a client can say anything. Here one does, over the real API: more cores
// and memory than its roster labels, Systemic failures nobody else sees,
// messages of any size, and a Packages entry with another file's size and
// digests. The controller caps, counts, cuts and recomputes.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/limits.h"
#include "api/protocol.h"
#include "api/replies.h"
#include "base/sha256.h"
#include "tests/integration/dispatch_fixture.h"

namespace swarm::testing {
namespace {

constexpr int64_t kGi = int64_t(1) << 30;
constexpr int64_t kTi = int64_t(1) << 40;
const std::string kEuro = "\xE2\x82\xAC";  // three bytes

class LyingDroneTest : public DispatchTest {
 protected:
  void SetUp() override {
    DispatchTest::SetUp();
    // The test beats for it between its steps, which on a loaded machine can
    // be seconds apart: it must not be lost for that.
    heartbeat_grace_ = "5m";
    // In the roster with 4 cores and 8Gi; no agent runs for it: the test is it.
    Start({{"d1", "4", "8Gi", {}, /*deferred=*/true}}, dag_, "    groundAfterFailures: 3\n");
    liar_ = h_.Client(h_.AgentToken("d1"), "d1");
    ASSERT_TRUE(liar_);
  }

  // One heartbeat claiming 512 cores and 10 TiB, listing what it holds;
  // returns what the reply says it holds.
  std::vector<api::BuildAssignment> Beat() {
    json builds = json::array();
    for (const auto& a : held_) {
      builds.push_back({{"assignment", a.id}, {"package", a.package}, {"state", "Running"}});
    }
    std::string reason;
    for (int i = 0; i < 1000; ++i) reason += kEuro;  // 3000 bytes
    const json body = {
        {"deployVersion", "v1"},  {"treeRevision", dag_},
        {"health", "HEALTHY"},    {"healthReason", reason},
        {"agentVersion", "liar"}, {"resources", {{"cores", 512}, {"memoryBytes", 10 * kTi}}},
        {"builds", builds}};
    auto res = liar_->Post("/api/v1/drones/d1/heartbeat", body.dump());
    EXPECT_TRUE(res.ok() && res->status == 200) << (res.ok() ? res->body : "unreachable");
    if (!res.ok() || res->status != 200) return held_;
    auto reply = api::HeartbeatReplyFromJson(json::parse(res->body), nullptr);
    EXPECT_TRUE(reply.ok());
    if (reply.ok()) held_ = reply->assignments;
    return held_;
  }

  // Posts `result` for its assignment; the reply's assignments become held.
  int Report(const api::BuildResult& result) {
    auto res = liar_->Post("/api/v1/drones/d1/builds/" + result.assignment,
                           api::BuildResultToJson(result).dump());
    if (!res.ok()) return 0;
    auto reply = api::BuildResultReplyFromJson(json::parse(res->body), nullptr);
    if (res->status == 200 && reply.ok() && reply->assignments) held_ = *reply->assignments;
    return res->status;
  }

  // As `swarmctl get drone d1 -o json` shows it.
  json Drone() {
    auto got = h_.Swarmctl({"get", "drones", "d1", "-o", "json"});
    EXPECT_EQ(got.exit_code, 0) << got.err;
    return json::parse(got.out, nullptr, /*allow_exceptions=*/false);
  }

  std::unique_ptr<HttpClient> liar_;
  std::vector<api::BuildAssignment> held_;
};

TEST_F(LyingDroneTest, ItIsCountedAsLabelledItsSystemicWordAloneIsItsOwnAndItsWordsAreCut) {
  // Once the queue is discovered it gets work: as much as 4 cores take, not 512.
  ASSERT_TRUE(WaitFor([&] { return !Beat().empty(); }, seconds(60))) << Diagnose();
  ASSERT_TRUE(WaitFor([&] { return Beat().size() == 4; })) << Diagnose();
  for (int i = 0; i < 20; ++i) ASSERT_LE(Beat().size(), 4u) << Diagnose();
  EXPECT_EQ(BuildingOn("d1").size(), 4u);

  json drone = Drone();
  ASSERT_TRUE(drone.is_object()) << drone.dump();
  EXPECT_EQ(drone["status"]["resources"]["cores"], 4);
  EXPECT_EQ(drone["status"]["resources"]["memoryBytes"], 8 * kGi);
  EXPECT_EQ(h_.DroneCondition("d1", "CapacityWithinLabels"), "False/ReportOverLabels");
  EXPECT_EQ(CountEvents("kind=Drone&name=d1", "CapacityOverLabels"), 1) << "once, not per beat";
  EXPECT_EQ(drone["status"]["healthReason"].get<std::string>().size(), api::kMaxMessageBytes - 2)
      << "cut at the last whole character";
  const std::string status = h_.Swarmctl({"status"}).out;
  EXPECT_NE(status.find("d1 reports more cores and memory than its labels (cores 4, memory 8Gi): "
                        "it is counted as labelled"),
            std::string::npos)
      << status;

  // A success whose Packages entry lies about the file: the index says
  // what the controller received.
  const api::BuildAssignment built = held_[0];
  const std::string pn = built.package.substr(built.package.find('/') + 1);
  const std::string path = built.package.substr(0, built.package.find('/')) + "/" +
                           pn.substr(0, pn.rfind('-')) + "/" + pn + "-1.gpkg.tar";
  const std::string bytes = "the liar's binary package of " + built.package;
  auto up = liar_->PutBody("/api/v1/drones/d1/builds/" + built.id + "/binpkg", bytes,
                           "application/octet-stream",
                           {{"X-Binpkg-Path", path}, {"X-Binpkg-Sha256", Sha256Hex(bytes)}});
  ASSERT_TRUE(up.ok() && up->status == 200) << (up.ok() ? up->body : up.status().ToString());
  api::BuildResult success;
  success.assignment = built.id;
  success.package = built.package;
  success.outcome = api::kBuildSucceeded;
  success.duration_ms = 1000;
  success.binpkg =
      api::BinaryPackageRef{path, static_cast<int64_t>(bytes.size()), Sha256Hex(bytes)};
  success.index_entry = "BUILD_ID: 1\nCHOST: x86_64-pc-linux-gnu\nCPV: " + built.package +
                        "\nEAPI: 8\nMD5: 00000000000000000000000000000000\n"
                        "PATH: sys-libs/glibc/glibc-2.40-1.gpkg.tar\nREPO: gentoo\n"
                        "SHA1: 0000000000000000000000000000000000000000\nSHA512: 00\n"
                        "SIZE: 999999999\n";
  ASSERT_EQ(Report(success), 200) << Diagnose();
  ExpectIndexed(1);
  EXPECT_EQ(ReadFile(h_.dir().File("binhost/Packages")).find("SHA512"), std::string::npos);

  // Systemic failures only it reports: they are its own, and ground it; the
  // swarm goes on. Its message is cut before it is stored.
  const std::string words = "slot conflict " + std::string(5000, 'x');
  std::vector<std::string> failed;
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(held_.empty()) << Diagnose();
    api::BuildResult r;
    r.assignment = held_[0].id;
    r.package = held_[0].package;
    r.outcome = api::kBuildFailed;
    r.failure_class = api::kFailureSystemic;
    r.message = words;
    r.log_tail = std::string(100000, 'l');
    ASSERT_EQ(Report(r), 200) << Diagnose();
    failed.push_back(r.package);
    EXPECT_EQ(h_.SwarmCondition("SystemicFault").rfind("False/", 0), 0u)
        << "failure " << i << Diagnose();
  }
  EXPECT_EQ(h_.DroneCondition("d1", "Grounded"), "True/RepeatedFailures") << Diagnose();
  for (const auto& [name, p] : PackagesByName()) {
    if (std::find(failed.begin(), failed.end(), name) == failed.end()) continue;
    EXPECT_EQ(p["status"]["lastFailure"]["message"], words.substr(0, api::kMaxMessageBytes))
        << name;
    EXPECT_EQ(p["status"]["excludedDrones"], json::array({"d1"})) << name;
  }
  EXPECT_EQ(CountEvents("kind=Swarm", "SystemicFault"), 0) << Diagnose();
}

}  // namespace
}  // namespace swarm::testing

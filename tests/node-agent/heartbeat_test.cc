#include "node-agent/heartbeat.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace swarm::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

TEST(HeartbeatTest, Path) {
  EXPECT_EQ(HeartbeatPath("drone-izar"), "/api/v1/drones/drone-izar/heartbeat");
}

TEST(HeartbeatTest, ReportCarriesProbeAndHealth) {
  ProbeResult probe;
  probe.deploy_version = "2026.02.05";
  probe.tree_revision = "9fc7a49ad6496faebea1c1d1848199fb6278bcec";
  probe.resources.cores = 16;
  probe.resources.memory_bytes = 34359738368;
  probe.resources.memory_used_percent = 91.0;
  HealthVerdict health{HealthState::kDegraded, "memory 91% >= 85%", {}};

  api::DroneReport r = BuildDroneReport(probe, health, "0.1.0");
  EXPECT_EQ(r.deploy_version, "2026.02.05");
  EXPECT_EQ(r.tree_revision, probe.tree_revision);
  EXPECT_EQ(r.health, "DEGRADED");
  EXPECT_EQ(r.resources.cores, 16);
  EXPECT_EQ(r.resources.memory_bytes, 34359738368);
  EXPECT_EQ(r.agent_version, "0.1.0");
}

TEST(HeartbeatTest, MissingMarkerIsSentAsEmpty) {
  ProbeResult probe;  // deploy_version "" : the controller reads it as needs-deploy
  api::DroneReport r = BuildDroneReport(probe, HealthVerdict{}, "0.1.0");
  EXPECT_EQ(r.deploy_version, "");
  EXPECT_EQ(r.health, "HEALTHY");
}

TEST(HeartbeatReplyTest, ParsesTheDocumentedReply) {
  auto r = ParseHeartbeatReply(R"({
    "heartbeatInterval": "10s",
    "health": {"probeInterval": "30s", "memoryDegradedPercent": 80, "diskDegradedPercent": 95},
    "actions": [{"type": "deploy", "version": "2026.02.05"}],
    "assignments": [],
    "newerField": {"anything": true}
  })");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->heartbeat_interval, seconds(10));
  EXPECT_EQ(r->health.probe_interval, seconds(30));
  EXPECT_EQ(r->health.memory_degraded_percent, 80);
  EXPECT_EQ(r->health.disk_degraded_percent, 95);
  ASSERT_EQ(r->actions.size(), 1u);
  EXPECT_EQ(r->actions[0]["type"], "deploy");
  EXPECT_TRUE(r->assignments.is_array());
}

TEST(HeartbeatReplyTest, MissingFieldsKeepDefaults) {
  auto r = ParseHeartbeatReply("{}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->heartbeat_interval, seconds(5));
  EXPECT_EQ(r->health.probe_interval, seconds(15));
  EXPECT_EQ(r->health.memory_degraded_percent, 85);
  EXPECT_EQ(r->health.disk_degraded_percent, 90);
  EXPECT_TRUE(r->actions.is_array());
  EXPECT_TRUE(r->actions.empty());
  EXPECT_TRUE(r->assignments.empty());

  r = ParseHeartbeatReply(R"({"health": {"memoryDegradedPercent": 70}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->health.memory_degraded_percent, 70);
  EXPECT_EQ(r->health.disk_degraded_percent, 90);
}

TEST(HeartbeatReplyTest, TinyIntervalIsRaised) {
  auto r = ParseHeartbeatReply(R"({"heartbeatInterval": "0s"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->heartbeat_interval, kMinHeartbeatInterval);
}

TEST(HeartbeatReplyTest, RejectsWrongShapesNamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {"not json", "not valid JSON"},
      {"[]", "expected a JSON object"},
      {R"({"heartbeatInterval": 5})", "heartbeatInterval"},
      {R"({"heartbeatInterval": "soon"})", "heartbeatInterval"},
      {R"({"health": []})", "health"},
      {R"({"health": {"probeInterval": 15}})", "health.probeInterval"},
      {R"({"health": {"memoryDegradedPercent": "85"}})", "health.memoryDegradedPercent"},
      {R"({"health": {"memoryDegradedPercent": 85.5}})", "health.memoryDegradedPercent"},
      {R"({"health": {"diskDegradedPercent": 0}})", "health.diskDegradedPercent"},
      {R"({"health": {"diskDegradedPercent": 101}})", "health.diskDegradedPercent"},
      {R"({"actions": {}})", "actions"},
      {R"({"assignments": "none"})", "assignments"},
  };
  for (const auto& c : cases) {
    auto r = ParseHeartbeatReply(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(c.field)) << c.body;
  }
}

TEST(BackoffTest, DoublesFromOneSecondToThirtySeconds) {
  std::vector<milliseconds> got;
  for (int i = 0; i < 8; ++i) got.push_back(BackoffDelay(i, 0.0));
  EXPECT_EQ(got, (std::vector<milliseconds>{seconds(1), seconds(2), seconds(4), seconds(8),
                                            seconds(16), seconds(30), seconds(30), seconds(30)}));
  EXPECT_EQ(BackoffDelay(1000000, 0.0), seconds(30));
}

TEST(BackoffTest, JitterShortensByUpToAFifth) {
  EXPECT_EQ(BackoffDelay(0, 0.5), milliseconds(900));
  EXPECT_EQ(BackoffDelay(5, 0.5), seconds(27));
  EXPECT_EQ(BackoffDelay(5, 0.999999), milliseconds(24001));
  for (double j : {0.0, 0.25, 0.75, 0.999}) {
    EXPECT_LE(BackoffDelay(6, j), seconds(30));
    EXPECT_GE(BackoffDelay(6, j), seconds(24));
  }
}

TEST(BackoffTest, CountsFailuresAndResets) {
  Backoff b([] { return 0.0; });
  EXPECT_EQ(b.Next(), seconds(1));
  EXPECT_EQ(b.Next(), seconds(2));
  EXPECT_EQ(b.Next(), seconds(4));
  EXPECT_EQ(b.failures(), 3);
  b.Reset();
  EXPECT_EQ(b.failures(), 0);
  EXPECT_EQ(b.Next(), seconds(1));
}

TEST(BackoffTest, DefaultJitterStaysInRange) {
  Backoff b;
  for (int i = 0; i < 20; ++i) {
    auto d = b.Next();
    EXPECT_GE(d, milliseconds(800));
    EXPECT_LE(d, seconds(30));
  }
}

TEST(HeartbeatTest, SafeActionIds) {
  EXPECT_TRUE(IsSafeActionId("5f0c1a9e2b7d4c31"));
  EXPECT_TRUE(IsSafeActionId("a.b_c-D9"));
  EXPECT_FALSE(IsSafeActionId(""));
  EXPECT_FALSE(IsSafeActionId(".hidden"));
  EXPECT_FALSE(IsSafeActionId("../x"));
  EXPECT_FALSE(IsSafeActionId("a/b"));
  EXPECT_FALSE(IsSafeActionId("a b"));
  EXPECT_FALSE(IsSafeActionId("a?b"));
  EXPECT_FALSE(IsSafeActionId(std::string(129, 'a')));
}

TEST(HeartbeatTest, ParseActionsSkipsMalformedItems) {
  auto j = nlohmann::json::parse(R"([
      {"id": "d1", "type": "deploy", "version": "2026.02.05"},
      {"id": "x"},
      "nonsense",
      {"id": "a/b", "type": "sync"},
      {"id": "q1", "type": "discover", "targets": ["@world"], "emergeArgs": "--deep",
       "treeRevision": "b001a8", "deployVersion": "2026.02.05", "future": 1}])");
  std::vector<std::string> problems;
  std::vector<api::Action> actions = ParseActions(j, &problems);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].id, "d1");
  EXPECT_EQ(actions[0].version, "2026.02.05");
  EXPECT_EQ(actions[1].id, "q1");
  EXPECT_EQ(actions[1].targets, std::vector<std::string>{"@world"});
  EXPECT_EQ(actions[1].tree_revision, "b001a8");
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_THAT(problems[0], HasSubstr("actions[1]: "));
  EXPECT_THAT(problems[1], HasSubstr("actions[2]: "));
  EXPECT_THAT(problems[2], HasSubstr("actions[3]: id \"a/b\""));
  for (const auto& p : problems) EXPECT_EQ(p.find('\n'), std::string::npos) << p;
}

TEST(HeartbeatTest, ParseAssignmentsSkipsMalformedUnsafeAndRepeatedItems) {
  auto j = nlohmann::json::parse(R"([
      {"id": "7c1e09aa-b42", "package": "dev-libs/openssl-3.3.3", "attempt": 2},
      {"id": "no-package"},
      42,
      {"id": "../../etc/passwd", "package": "dev-libs/foo-1.0"},
      {"id": "a2", "package": "sys-libs/zlib-1.3.1-r1", "attempt": "two"},
      {"id": "7c1e09aa-b42", "package": "dev-libs/openssl-3.3.3"},
      {"id": "a3", "package": "sys-libs/zlib-1.3.1-r1", "future": true}])");
  std::vector<std::string> problems;
  std::vector<api::BuildAssignment> got = ParseAssignments(j, &problems);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, "7c1e09aa-b42");
  EXPECT_EQ(got[0].package, "dev-libs/openssl-3.3.3");
  EXPECT_EQ(got[0].attempt, 2);
  EXPECT_EQ(got[1].id, "a3");
  EXPECT_EQ(got[1].attempt, 1);
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_THAT(problems[0], HasSubstr("assignments[1]: "));
  EXPECT_THAT(problems[0], HasSubstr("required"));
  EXPECT_THAT(problems[1], HasSubstr("assignments[2]: "));
  EXPECT_THAT(problems[2], HasSubstr("assignments[3]: id \"../../etc/passwd\""));
  EXPECT_THAT(problems[3], HasSubstr("assignments[4]: "));
  EXPECT_THAT(problems[4], HasSubstr("assignments[5]: id \"7c1e09aa-b42\" is listed twice"));
  for (const auto& p : problems) EXPECT_EQ(p.find('\n'), std::string::npos) << p;
}

TEST(HeartbeatTest, ParseAssignmentsOfNothing) {
  std::vector<std::string> problems;
  EXPECT_TRUE(ParseAssignments(nlohmann::json::array(), &problems).empty());
  EXPECT_TRUE(ParseAssignments(nlohmann::json(), &problems).empty());
  EXPECT_TRUE(problems.empty());
}

}  // namespace
}  // namespace swarm::agent

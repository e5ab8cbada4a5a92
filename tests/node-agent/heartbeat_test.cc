#include "node-agent/heartbeat.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace swarm::agent {
namespace {

std::vector<std::string> skipped_;  // items a reply left out (tested in api/replies_test)

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
    "actions": [{"id": "d1", "type": "deploy", "version": "2026.02.05"}],
    "assignments": [],
    "newerField": {"anything": true}
  })", &skipped_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->heartbeat_interval, seconds(10));
  EXPECT_EQ(r->health.probe_interval, seconds(30));
  EXPECT_EQ(r->health.memory_degraded_percent, 80);
  EXPECT_EQ(r->health.disk_degraded_percent, 95);
  ASSERT_EQ(r->actions.size(), 1u);
  EXPECT_EQ(r->actions[0].type, "deploy");
  EXPECT_TRUE(r->assignments.empty());
}

TEST(HeartbeatReplyTest, MissingFieldsKeepDefaults) {
  auto r = ParseHeartbeatReply("{}", &skipped_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->heartbeat_interval, seconds(5));
  EXPECT_EQ(r->health.probe_interval, seconds(15));
  EXPECT_EQ(r->health.memory_degraded_percent, 85);
  EXPECT_EQ(r->health.disk_degraded_percent, 90);
  EXPECT_TRUE(r->actions.empty());
  EXPECT_TRUE(r->assignments.empty());

  r = ParseHeartbeatReply(R"({"health": {"memoryDegradedPercent": 70}})", &skipped_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->health.memory_degraded_percent, 70);
  EXPECT_EQ(r->health.disk_degraded_percent, 90);
}

TEST(HeartbeatReplyTest, TinyIntervalIsRaised) {
  auto r = ParseHeartbeatReply(R"({"heartbeatInterval": "0s"})", &skipped_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->heartbeat_interval, kMinHeartbeatInterval);
}

TEST(HeartbeatReplyTest, RejectsWrongShapesNamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {"not json", "not valid JSON"},
      {R"({"actions": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})",
       "nested deeper than 64 levels"},
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
    auto r = ParseHeartbeatReply(c.body, &skipped_);
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


}  // namespace
}  // namespace swarm::agent

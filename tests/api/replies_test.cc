#include "api/replies.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace swarm::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// What the API server writes is what the agent reads: the two ends share
// this codec, so a field renamed on one side cannot go unnoticed.
TEST(RepliesTest, HeartbeatReplyRoundTrips) {
  HeartbeatReply r;
  r.heartbeat_interval = std::chrono::seconds(10);
  r.health.probe_interval = std::chrono::seconds(30);
  r.health.memory_degraded_percent = 80;
  r.health.disk_degraded_percent = 95;
  Action deploy;
  deploy.id = "d1";
  deploy.type = kActionDeploy;
  deploy.version = "2026.02.05";
  r.actions = {deploy};
  r.assignments = {{"x-b7", "dev-libs/openssl-3.3.3", 2, 61000, "9fc7a49a"}};
  std::vector<std::string> skipped;
  auto back = HeartbeatReplyFromJson(HeartbeatReplyToJson(r), &skipped);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, r);
  EXPECT_TRUE(skipped.empty());
  // The documented spelling (docs/api.md).
  const json j = HeartbeatReplyToJson(r);
  EXPECT_EQ(j["heartbeatInterval"], "10s");
  EXPECT_EQ(j["health"]["memoryDegradedPercent"], 80);
  EXPECT_EQ(j["assignments"][0]["treeRevision"], "9fc7a49a");
}

TEST(RepliesTest, HeartbeatReplyKeepsDefaultsAndIgnoresUnknownFields) {
  std::vector<std::string> skipped;
  auto r = HeartbeatReplyFromJson(json::parse(R"({"newerField": 1})"), &skipped);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, HeartbeatReply{});
  EXPECT_FALSE(HeartbeatReplyFromJson(json::array(), &skipped).ok());
}

TEST(RepliesTest, BuildResultReplyRoundTripsAndTellsNoneFromEmpty) {
  BuildResultReply r;
  r.assignments = std::vector<BuildAssignment>{{"x-b8", "sys-libs/zlib-1.3.1-r1", 1, 0, ""}};
  std::vector<std::string> skipped;
  auto back = BuildResultReplyFromJson(BuildResultReplyToJson(r), &skipped);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, r);
  EXPECT_EQ(BuildResultReplyToJson(r)["accepted"], true);
  // Empty: the drone holds nothing now. Absent: nothing is said, nothing taken back.
  r.assignments = std::vector<BuildAssignment>{};
  back = BuildResultReplyFromJson(BuildResultReplyToJson(r), &skipped);
  ASSERT_TRUE(back.ok() && back->assignments.has_value());
  EXPECT_TRUE(back->assignments->empty());
  back = BuildResultReplyFromJson(json::parse(R"({"accepted": true})"), &skipped);
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->assignments.has_value());
  EXPECT_FALSE(BuildResultReplyFromJson(json::parse(R"({"assignments": 3})"), &skipped).ok());
}

TEST(RepliesTest, SafeIds) {
  EXPECT_TRUE(IsSafeId("5f0c1a9e2b7d4c31"));
  EXPECT_TRUE(IsSafeId("a.b_c-D9"));
  EXPECT_FALSE(IsSafeId(""));
  EXPECT_FALSE(IsSafeId(".hidden"));
  EXPECT_FALSE(IsSafeId("../x"));
  EXPECT_FALSE(IsSafeId("a/b"));
  EXPECT_FALSE(IsSafeId("a b"));
  EXPECT_FALSE(IsSafeId("a?b"));
  EXPECT_FALSE(IsSafeId(std::string(129, 'a')));
}

TEST(RepliesTest, ActionsSkipMalformedAndUnsafeItems) {
  auto j = nlohmann::json::parse(R"([
      {"id": "d1", "type": "deploy", "version": "2026.02.05"},
      {"id": "x"},
      "nonsense",
      {"id": "a/b", "type": "sync"},
      {"id": "q1", "type": "discover", "targets": ["@world"], "emergeArgs": "--deep",
       "treeRevision": "b001a8", "deployVersion": "2026.02.05", "future": 1}])");
  std::vector<std::string> problems;
  std::vector<Action> actions = ActionsFromJson(j, &problems);
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

TEST(RepliesTest, AssignmentsSkipMalformedUnsafeAndRepeatedItems) {
  auto j = nlohmann::json::parse(R"([
      {"id": "7c1e09aa-b42", "package": "dev-libs/openssl-3.3.3", "attempt": 2},
      {"id": "no-package"},
      42,
      {"id": "../../etc/passwd", "package": "dev-libs/foo-1.0"},
      {"id": "a2", "package": "sys-libs/zlib-1.3.1-r1", "attempt": "two"},
      {"id": "7c1e09aa-b42", "package": "dev-libs/openssl-3.3.3"},
      {"id": "a3", "package": "sys-libs/zlib-1.3.1-r1", "future": true}])");
  std::vector<std::string> problems;
  std::vector<BuildAssignment> got = AssignmentsFromJson(j, &problems);
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

TEST(RepliesTest, AssignmentsOfNothing) {
  std::vector<std::string> problems;
  EXPECT_TRUE(AssignmentsFromJson(nlohmann::json::array(), &problems).empty());
  EXPECT_TRUE(AssignmentsFromJson(nlohmann::json(), &problems).empty());
  EXPECT_TRUE(problems.empty());
}

}  // namespace
}  // namespace swarm::api

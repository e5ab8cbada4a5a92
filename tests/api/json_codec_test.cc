#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/codec.h"
#include "tests/api/swarm_examples.h"

namespace swarm::api {
namespace {

using nlohmann::json;
using testing::ExpectSameSpec;
using testing::kFullSwarmYaml;
using testing::kHead;

WallTime At(const std::string& rfc3339) {
  Result<WallTime> t = ParseTime(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.ok() ? *t : WallTime{};
}

Swarm FullSwarm() {
  Result<Swarm> r = DecodeSwarm(kFullSwarmYaml, "swarm.yaml");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Swarm{};
}

TEST(SwarmToJsonTest, WritesTheWireShape) {
  Swarm s = FullSwarm();
  s.metadata.generation = 3;
  s.metadata.resource_version = 42;
  s.metadata.creation_timestamp = At("2026-02-05T10:30:00Z");
  s.status.observed_generation = 2;
  s.status.conditions.push_back(
      {"Ready", kTrue, "AllDronesReady", "3 of 3 ready", At("2026-02-05T11:00:00Z")});
  json j = SwarmToJson(s);

  EXPECT_EQ(j["apiVersion"], "buildswarm.io/v1alpha1");
  EXPECT_EQ(j["kind"], "Swarm");
  EXPECT_EQ(j["metadata"], json::parse(R"({"name": "home", "generation": 3,
      "resourceVersion": "42", "creationTimestamp": "2026-02-05T10:30:00Z",
      "annotations": {"owner": "ops"}})"));
  const json& spec = j["spec"];
  EXPECT_EQ(spec["portage"]["treeRevision"], "9fc7a49ad6496faebea1c1d1848199fb6278bcec");
  EXPECT_EQ(spec["deploy"]["version"], "2026.02.05");
  EXPECT_EQ(spec["queue"], json::parse(R"({"discoverOn": "desktop", "targets": ["@world"],
      "emergeArgs": "--update --deep --newuse --with-bdeps=y", "packages": ["dev-lang/rust"],
      "requirements": [{"match": "dev-qt/qtwebengine", "memory": "32Gi"},
                       {"match": "www-client/*", "cores": 8}]})"));
  EXPECT_EQ(spec["drones"][0], json::parse(R"({"name": "drone-izar",
      "labels": {"cores": "16", "memory": "32Gi", "site": "milky-way"}, "roles": []})"));
  EXPECT_EQ(spec["drones"][2]["roles"], json::parse(R"(["discover"])"));
  EXPECT_EQ(spec["policy"], json::parse(R"({"heartbeatInterval": "5s", "heartbeatGrace": "20s",
      "groundAfterFailures": 5, "groundingCooldown": "5m", "systemicFailureFraction": 0.5,
      "scheduling": "critical-path", "requireCapacityLabels": true,
      "health": {"probeInterval": "15s", "memoryDegradedPercent": 85,
                 "diskDegradedPercent": 90}})"));
  EXPECT_EQ(j["status"], json::parse(R"({"observedGeneration": 2, "conditions": [
      {"type": "Ready", "status": "True", "reason": "AllDronesReady",
       "message": "3 of 3 ready", "lastTransitionTime": "2026-02-05T11:00:00Z"}],
      "queue": {"treeRevision": "", "deployVersion": "", "queueSpec": "", "total": 0, "needed": 0,
                "building": 0, "complete": 0, "failed": 0, "blocked": 0},
      "release": {"promoted": "", "latest": ""},
      "observedFreshRequest": ""})"));
}

TEST(SwarmToJsonTest, OmitsUnsetCreationTimestampAndEmptyAnnotations) {
  Swarm s;
  s.metadata.name = "home";
  json meta = SwarmToJson(s)["metadata"];
  EXPECT_FALSE(meta.contains("creationTimestamp"));
  EXPECT_FALSE(meta.contains("annotations"));
  EXPECT_EQ(meta["resourceVersion"], "0");
}

TEST(SwarmJsonRoundTripTest, FullExampleDecodesBackToTheSameSpec) {
  Swarm s = FullSwarm();
  s.metadata.generation = 9;
  s.metadata.creation_timestamp = At("2026-02-05T10:30:00Z");
  s.status.conditions.push_back({"Ready", kFalse, "Waiting", "", At("2026-02-05T10:30:00Z")});
  for (int indent : {-1, 2}) {
    SCOPED_TRACE(indent);
    Result<Swarm> back = DecodeSwarm(SwarmToJson(s).dump(indent), "x");
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->metadata.name, "home");
    EXPECT_EQ(back->metadata.annotations, s.metadata.annotations);
    ExpectSameSpec(back->spec, s.spec);
    EXPECT_EQ(SwarmSpecToJson(back->spec), SwarmSpecToJson(s.spec));
  }
}

TEST(SwarmJsonRoundTripTest, DefaultsDecodeBackToTheSameSpec) {
  Result<Swarm> s = DecodeSwarm(kHead, "x.yaml");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<Swarm> back = DecodeSwarm(SwarmToJson(*s).dump(), "x");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->metadata.name, "home");
  ExpectSameSpec(back->spec, s->spec);
}

TEST(SwarmJsonRoundTripTest, StringsNeedingEscapesSurvive) {
  Swarm s = FullSwarm();
  s.metadata.annotations = {{"note", "say \"hi\"\n\ttab \\ slash: {x} # not a comment"},
                            {"unicode", "gr\xc3\xbc\xc3\x9f dich \xe2\x9c\x93"},
                            {"long", std::string(5000, 'x')},
                            {"empty", ""},
                            {"control", std::string("a\x01z")}};
  s.spec.queue.emerge_args = "--jobs=2 --exclude sys-devel/* --exclude */*-bin";
  s.spec.drones[0].labels["zone"] = "eu: west";
  Result<Swarm> back = DecodeSwarm(SwarmToJson(s).dump(), "x");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->metadata.annotations, s.metadata.annotations);
  ExpectSameSpec(back->spec, s.spec);
}

TEST(SwarmJsonDecodeTest, JsonErrorsNameLineAndColumnToo) {
  std::string body = R"({
  "apiVersion": "buildswarm.io/v1alpha1",
  "kind": "Swarm",
  "metadata": {"name": "home"},
  "spec": {"portage": {"treeRevision": "abc"}, "deploy": {"version": "v1"}, "drone": []}
})";
  std::string line5 = body.substr(body.find("  \"spec\""));
  int col = static_cast<int>(line5.find("\"drone\"")) + 1;
  Result<Swarm> r = DecodeSwarm(body, "request body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "request body:5:" + std::to_string(col) +
                                      ": spec.drone: unknown field \"drone\"; allowed fields: "
                                      "portage, deploy, queue, drones, policy, binhost");

  r = DecodeSwarm(R"({"apiVersion": "buildswarm.io/v1alpha1", "kind": "Swarm",)", "body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("body:1:", 0), 0u) << r.status().message();
}

TEST(ConditionsJsonTest, RoundTrips) {
  std::vector<Condition> in = {
      {"Ready", kTrue, "HeartbeatReceived", "ok", At("2026-02-05T10:30:00Z")},
      {"SystemicFault", kFalse, "", "", At("2026-01-01T00:00:00Z")}};
  Result<std::vector<Condition>> out = ConditionsFromJson(ConditionsToJson(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 2u);
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ((*out)[i].type, in[i].type);
    EXPECT_EQ((*out)[i].status, in[i].status);
    EXPECT_EQ((*out)[i].reason, in[i].reason);
    EXPECT_EQ((*out)[i].message, in[i].message);
    EXPECT_EQ((*out)[i].last_transition_time, in[i].last_transition_time);
  }
  EXPECT_EQ(ConditionsToJson(in)[0]["lastTransitionTime"], "2026-02-05T10:30:00Z");
}

TEST(ConditionsJsonTest, ReadsLenientlyButRefusesWrongTypes) {
  Result<std::vector<Condition>> r = ConditionsFromJson(json::parse(R"([{"type": "Ready"}])"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].status, "");
  EXPECT_TRUE(ConditionsFromJson(json()).ok());

  struct Case {
    std::string json, want;
  };
  const Case cases[] = {
      {R"({"type": "Ready"})", "conditions: expected an array, got object"},
      {R"([{"type": "Ready", "status": true}])",
       "conditions[0].status: expected a string, got "
       "boolean"},
      {R"([7])", "conditions[0]: expected an object, got number"},
      {R"([{"type": "Ready", "lastTransitionTime": "yesterday"}])",
       "conditions[0].lastTransitionTime: time \"yesterday\" is not RFC 3339"},
  };
  for (const auto& c : cases) {
    Result<std::vector<Condition>> bad = ConditionsFromJson(json::parse(c.json));
    ASSERT_FALSE(bad.ok()) << c.json;
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(bad.status().message().find(c.want), std::string::npos) << bad.status().message();
  }
}

TEST(SwarmStatusJsonTest, RoundTripsThroughTheSwarmJson) {
  Swarm s;
  s.status.observed_generation = 4;
  s.status.conditions.push_back({"Ready", kTrue, "R", "m", At("2026-02-05T10:30:00Z")});
  Result<SwarmStatus> st = SwarmStatusFromJson(SwarmToJson(s)["status"]);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->observed_generation, 4);
  ASSERT_EQ(st->conditions.size(), 1u);
  EXPECT_EQ(st->conditions[0].reason, "R");

  Result<SwarmStatus> bad = SwarmStatusFromJson(json::parse(R"({"observedGeneration": "4"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("observedGeneration: expected an integer, got string"),
            std::string::npos)
      << bad.status().message();
}

DroneStatus FullDroneStatus() {
  DroneStatus s;
  s.conditions.push_back(
      {"Ready", kTrue, "HeartbeatReceived", "heartbeat 2s ago", At("2026-02-05T10:30:00Z")});
  s.health = "HEALTHY";
  s.deploy_version = "2026.02.05";
  s.tree_revision = "9fc7a49ad6496faebea1c1d1848199fb6278bcec";
  s.resources = {16, 34359738368, 41.5, 63.0, 3.2};
  s.assignments = {"dev-lang/rust-1.75.0", "sys-libs/glibc-2.38"};
  s.builds = {{"x-b1", "dev-lang/rust-1.75.0", "Running"}};
  s.cordoned = true;
  s.consecutive_failures = 2;
  s.last_heartbeat_time = At("2026-02-05T10:30:02Z");
  return s;
}

void ExpectSameResources(const Resources& a, const Resources& b) {
  EXPECT_EQ(a.cores, b.cores);
  EXPECT_EQ(a.memory_bytes, b.memory_bytes);
  EXPECT_EQ(a.memory_used_percent, b.memory_used_percent);
  EXPECT_EQ(a.disk_used_percent, b.disk_used_percent);
  EXPECT_EQ(a.load1, b.load1);
}

TEST(DroneJsonTest, WritesTheApiShapeWithEffectiveRoles) {
  Drone d;
  d.name = "drone-izar";
  d.spec.name = "drone-izar";
  d.spec.labels = {{"cores", "16"}, {"memory", "32Gi"}};
  d.status = FullDroneStatus();
  json j = DroneToJson(d);
  EXPECT_EQ(j, json::parse(R"({
    "apiVersion": "buildswarm.io/v1alpha1", "kind": "Drone",
    "metadata": {"name": "drone-izar"},
    "spec": {"labels": {"cores": "16", "memory": "32Gi"}, "roles": ["build"]},
    "status": {
      "conditions": [{"type": "Ready", "status": "True", "reason": "HeartbeatReceived",
                      "message": "heartbeat 2s ago", "lastTransitionTime": "2026-02-05T10:30:00Z"}],
      "health": "HEALTHY", "healthReason": "", "deployVersion": "2026.02.05",
      "treeRevision": "9fc7a49ad6496faebea1c1d1848199fb6278bcec",
      "resources": {"cores": 16, "memoryBytes": 34359738368, "memoryUsedPercent": 41.5,
                    "diskUsedPercent": 63.0, "load1": 3.2},
      "assignments": ["dev-lang/rust-1.75.0", "sys-libs/glibc-2.38"],
      "actions": [],
      "builds": [{"assignment": "x-b1", "package": "dev-lang/rust-1.75.0", "state": "Running"}],
      "cordoned": true,
      "consecutiveFailures": 2, "lastHeartbeatTime": "2026-02-05T10:30:02Z"}})"));

  d.spec.roles = {"discover"};
  d.status = DroneStatus{};
  j = DroneToJson(d);
  EXPECT_EQ(j["spec"]["roles"], json::parse(R"(["discover"])"));
  EXPECT_TRUE(j["status"]["lastHeartbeatTime"].is_null());
  EXPECT_EQ(j["status"]["assignments"], json::array());
  EXPECT_EQ(j["status"]["conditions"], json::array());
}

TEST(DroneStatusJsonTest, RoundTrips) {
  DroneStatus in = FullDroneStatus();
  Result<DroneStatus> out = DroneStatusFromJson(DroneStatusToJson(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->conditions.size(), 1u);
  EXPECT_EQ(out->conditions[0].message, in.conditions[0].message);
  EXPECT_EQ(out->health, in.health);
  EXPECT_EQ(out->deploy_version, in.deploy_version);
  EXPECT_EQ(out->tree_revision, in.tree_revision);
  ExpectSameResources(out->resources, in.resources);
  EXPECT_EQ(out->assignments, in.assignments);
  EXPECT_EQ(out->consecutive_failures, 2);
  EXPECT_EQ(out->last_heartbeat_time, in.last_heartbeat_time);

  out = DroneStatusFromJson(DroneStatusToJson(DroneStatus{}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_FALSE(out->last_heartbeat_time.has_value());

  Result<DroneStatus> bad =
      DroneStatusFromJson(json::parse(R"({"assignments": ["a", 2], "consecutiveFailures": 1.5})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("assignments[1]: expected a string, got number"),
            std::string::npos);
  EXPECT_NE(bad.status().message().find("consecutiveFailures: expected an integer, got number"),
            std::string::npos)
      << bad.status().message();
}

TEST(DroneReportJsonTest, RoundTripsTheHeartbeatBody) {
  DroneReport in{"2026.02.05", "9fc7a49", "DEGRADED", "memory 91% >= 85%",
                 {16, 34359738368, 91.25, 63.0, 3.2}, "0.1.0", {}, {}};
  json j = DroneReportToJson(in);
  EXPECT_EQ(j, json::parse(R"({"deployVersion": "2026.02.05", "treeRevision": "9fc7a49",
      "health": "DEGRADED", "healthReason": "memory 91% >= 85%", "resources": {"cores": 16, "memoryBytes": 34359738368,
      "memoryUsedPercent": 91.25, "diskUsedPercent": 63.0, "load1": 3.2},
      "agentVersion": "0.1.0", "actions": [], "builds": []})"));
  Result<DroneReport> out = DroneReportFromJson(j);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->deploy_version, in.deploy_version);
  EXPECT_EQ(out->tree_revision, in.tree_revision);
  EXPECT_EQ(out->health, in.health);
  EXPECT_EQ(out->health_reason, in.health_reason);
  EXPECT_EQ(out->agent_version, in.agent_version);
  ExpectSameResources(out->resources, in.resources);
}

TEST(DroneReportJsonTest, MissingFieldsDefaultAndUnknownFieldsAreIgnored) {
  Result<DroneReport> r = DroneReportFromJson(json::parse(
      R"({"health": "HEALTHY", "resources": {"cores": 4, "gpus": 2}, "newerField": {"x": 1},
          "deployVersion": null})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->deploy_version, "") << "a missing marker stays empty: needs deploy";
  EXPECT_EQ(r->health, "HEALTHY");
  EXPECT_EQ(r->resources.cores, 4);
  EXPECT_EQ(r->resources.memory_bytes, 0);
}

TEST(DroneReportJsonTest, WrongTypesAreRefusedNamingTheField) {
  struct Case {
    std::string json, want;
  };
  const Case cases[] = {
      {R"({"resources": {"cores": "16"}})", "resources.cores: expected an integer, got string"},
      {R"({"resources": {"memoryBytes": 1.5}})",
       "resources.memoryBytes: expected an integer, got number"},
      {R"({"resources": {"load1": "high"}})", "resources.load1: expected a number, got string"},
      {R"({"resources": {"cores": 99999999999}})", "resources.cores: integer out of range"},
      {R"({"resources": [1, 2]})", "resources: expected an object, got array"},
      {R"({"deployVersion": 5})", "deployVersion: expected a string, got number"},
      {R"({"health": ["HEALTHY"]})", "health: expected a string, got array"},
      {R"("HEALTHY")", "expected a JSON object, got string"},
  };
  for (const auto& c : cases) {
    Result<DroneReport> r = DroneReportFromJson(json::parse(c.json));
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.want), std::string::npos) << r.status().message();
  }
  Result<DroneReport> two =
      DroneReportFromJson(json::parse(R"({"deployVersion": 5, "agentVersion": false})"));
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("deployVersion"), std::string::npos);
  EXPECT_NE(two.status().message().find("agentVersion"), std::string::npos);
}

TEST(EventJsonTest, WritesTheApiShape) {
  Event e{7,
          "Drone",
          "drone-izar",
          "Normal",
          "DroneReady",
          "first heartbeat",
          3,
          At("2026-02-05T10:30:00Z"),
          At("2026-02-05T10:35:00Z")};
  EXPECT_EQ(EventToJson(e), json::parse(R"({"id": 7,
      "involvedObject": {"kind": "Drone", "name": "drone-izar"}, "type": "Normal",
      "reason": "DroneReady", "message": "first heartbeat", "count": 3,
      "firstTimestamp": "2026-02-05T10:30:00Z", "lastTimestamp": "2026-02-05T10:35:00Z"})"));
}

}  // namespace
}  // namespace swarm::api

#include "api/codec.h"

#include <gtest/gtest.h>

#include "tests/api/swarm_examples.h"

namespace swarm::api {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::kFullSwarmYaml;
using testing::kHead;

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

TEST(DecodeSwarmTest, DecodesTheFullExample) {
  Result<Swarm> r = DecodeSwarm(kFullSwarmYaml, "swarm.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Swarm& s = *r;
  EXPECT_EQ(s.api_version, kApiVersion);
  EXPECT_EQ(s.kind, kKindSwarm);
  EXPECT_EQ(s.metadata.name, "home");
  EXPECT_EQ(s.metadata.annotations, (std::map<std::string, std::string>{{"owner", "ops"}}));
  EXPECT_EQ(s.spec.portage.tree_revision, "9fc7a49ad6496faebea1c1d1848199fb6278bcec");
  EXPECT_EQ(s.spec.deploy.version, "2026.02.05");

  const QueueSpec& q = s.spec.queue;
  EXPECT_EQ(q.discover_on, "desktop");
  EXPECT_EQ(q.targets, std::vector<std::string>{"@world"});
  EXPECT_EQ(q.emerge_args, "--update --deep --newuse --with-bdeps=y");
  EXPECT_EQ(q.packages, std::vector<std::string>{"dev-lang/rust"});
  ASSERT_EQ(q.requirements.size(), 2u);
  EXPECT_EQ(q.requirements[0].match, "dev-qt/qtwebengine");
  EXPECT_EQ(q.requirements[0].memory, "32Gi");
  EXPECT_EQ(q.requirements[0].memory_bytes, 32LL << 30);
  EXPECT_FALSE(q.requirements[0].cores.has_value());
  EXPECT_EQ(q.requirements[1].match, "www-client/*");
  EXPECT_EQ(q.requirements[1].memory, "");
  EXPECT_EQ(q.requirements[1].memory_bytes, 0);
  EXPECT_EQ(q.requirements[1].cores, 8);

  ASSERT_EQ(s.spec.drones.size(), 3u);
  EXPECT_EQ(s.spec.drones[0].name, "drone-izar");
  EXPECT_EQ(s.spec.drones[0].labels,
            (std::map<std::string, std::string>{
                {"cores", "16"}, {"memory", "32Gi"}, {"site", "milky-way"}}));
  EXPECT_TRUE(s.spec.drones[0].roles.empty());
  EXPECT_EQ(s.spec.drones[1].name, "drone-meridian");
  EXPECT_EQ(s.spec.drones[1].labels.at("memory"), "64Gi");
  EXPECT_EQ(s.spec.drones[2].name, "desktop");
  EXPECT_EQ(s.spec.drones[2].roles, std::vector<std::string>{"discover"});

  const Policy& p = s.spec.policy;
  EXPECT_EQ(p.heartbeat_interval, seconds(5));
  EXPECT_EQ(p.heartbeat_grace, seconds(20));
  EXPECT_EQ(p.ground_after_failures, 5);
  EXPECT_EQ(p.grounding_cooldown, minutes(5));
  EXPECT_EQ(p.systemic_failure_fraction, 0.5);
  EXPECT_TRUE(p.require_capacity_labels);
  EXPECT_EQ(p.health.probe_interval, seconds(15));
  EXPECT_EQ(p.health.memory_degraded_percent, 85);
  EXPECT_EQ(p.health.disk_degraded_percent, 90);
}

TEST(DecodeSwarmTest, NonDefaultPolicyValuesAreRead) {
  std::string yaml = std::string(kHead) + R"(  policy:
    heartbeatInterval: 500ms
    heartbeatGrace: 1h30m
    groundAfterFailures: 2
    groundingCooldown: 1h
    systemicFailureFraction: 1
    health:
      probeInterval: 2m
      memoryDegradedPercent: 100
      diskDegradedPercent: 1
)";
  Result<Swarm> r = DecodeSwarm(yaml, "x.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Policy& p = r->spec.policy;
  EXPECT_EQ(p.heartbeat_interval, std::chrono::milliseconds(500));
  EXPECT_EQ(p.heartbeat_grace, hours(1) + minutes(30));
  EXPECT_EQ(p.ground_after_failures, 2);
  EXPECT_EQ(p.grounding_cooldown, hours(1));
  EXPECT_EQ(p.systemic_failure_fraction, 1.0);
  EXPECT_EQ(p.health.probe_interval, minutes(2));
  EXPECT_EQ(p.health.memory_degraded_percent, 100);
  EXPECT_EQ(p.health.disk_degraded_percent, 1);
}

TEST(DecodeSwarmTest, ScalarsForStringFieldsAreTheirTextAsWritten) {
  std::string yaml = R"(apiVersion: buildswarm.io/v1alpha1
kind: Swarm
metadata: {name: home}
spec:
  portage: {treeRevision: 1e10}
  deploy: {version: 1.10}
  drones:
    - name: a1
      labels: {cores: 16, memory: 32Gi, gpu: true, rack: 007}
)";
  Result<Swarm> r = DecodeSwarm(yaml, "x.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->spec.portage.tree_revision, "1e10");
  EXPECT_EQ(r->spec.deploy.version, "1.10");
  EXPECT_EQ(r->spec.drones[0].labels.at("cores"), "16");
  EXPECT_EQ(r->spec.drones[0].labels.at("gpu"), "true");
  EXPECT_EQ(r->spec.drones[0].labels.at("rack"), "007");

  r = DecodeSwarm(std::string(kHead) + "  queue: {discoverOn: ~}\n", "x.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->spec.deploy.version, "2026.02.05");
}

TEST(DecodeSwarmTest, NullAndEmptyOptionalFieldsAreFine) {
  std::string yaml = std::string(kHead) + R"(  queue:
    discoverOn:
    targets:
    emergeArgs: ""
    packages: []
    requirements:
  drones:
    - name: a
      labels:
      roles: ~
    - name: b
      labels: {}
      roles: []
  policy:
    health:
)";
  Result<Swarm> r = DecodeSwarm(yaml, "x.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->spec.drones.size(), 2u);
  EXPECT_TRUE(r->spec.drones[0].labels.empty());
  EXPECT_TRUE(r->spec.drones[1].roles.empty());
  EXPECT_EQ(r->spec.policy.health.probe_interval, seconds(15));
}

TEST(DecodeSwarmTest, ServerOwnedMetadataAndStatusAreIgnored) {
  std::string yaml = R"(apiVersion: buildswarm.io/v1alpha1
kind: Swarm
metadata:
  name: home
  generation: 7
  resourceVersion: "42"
  creationTimestamp: "2026-02-05T10:30:00Z"
  uid: 0b7f2c4e
  labels: {team: infra}
spec:
  portage: {treeRevision: abc}
  deploy: {version: v1}
status:
  observedGeneration: 7
  conditions: [{type: Ready, status: "True"}]
  anything: {goes: here}
)";
  Result<Swarm> r = DecodeSwarm(yaml, "x.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata.name, "home");
  EXPECT_EQ(r->metadata.generation, 0);
  EXPECT_EQ(r->metadata.resource_version, 0);
  EXPECT_FALSE(r->metadata.creation_timestamp.has_value());
  EXPECT_EQ(r->status.observed_generation, 0);
  EXPECT_TRUE(r->status.conditions.empty());
}

TEST(DecodeSwarmTest, DefaultsAreAppliedAfterDecoding) {
  Result<Swarm> r = DecodeSwarm(kHead, "x.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->spec.queue.targets, std::vector<std::string>{"@world"});
  EXPECT_EQ(r->spec.queue.emerge_args, "--update --deep --newuse --with-bdeps=y");
  Policy defaults;
  EXPECT_EQ(r->spec.policy.heartbeat_interval, defaults.heartbeat_interval);
  EXPECT_EQ(r->spec.policy.heartbeat_grace, defaults.heartbeat_grace);
  EXPECT_EQ(r->spec.policy.grounding_cooldown, defaults.grounding_cooldown);
  EXPECT_EQ(r->spec.policy.health.probe_interval, defaults.health.probe_interval);

  r = DecodeSwarm(std::string(kHead) + "  queue: {packages: [app-misc/foo]}\n", "x.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->spec.queue.targets.empty()) << "explicit packages need no targets";
}

TEST(DecodeSwarmsTest, ReturnsEveryNonEmptyDocument) {
  std::string second = std::string(kHead);
  second.replace(second.find("name: home"), 10, "name: lab");
  std::string stream =
      "---\n# nothing here\n---\n" + std::string(kFullSwarmYaml) + "---\n" + second + "---\n...\n";
  Result<std::vector<Swarm>> r = DecodeSwarms(stream, "multi.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].metadata.name, "home");
  EXPECT_EQ((*r)[0].spec.drones.size(), 3u);
  EXPECT_EQ((*r)[1].metadata.name, "lab");

  Result<std::vector<Swarm>> none = DecodeSwarms("", "empty.yaml");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(DecodeSwarmsTest, ErrorsInLaterDocumentsCarryStreamLineNumbers) {
  // The first document spans lines 1-7, "---" is line 8, the second starts at 9.
  std::string stream = std::string(kHead) + "---\n" + kHead + "  drones: [{name: Bad}]\n";
  Result<std::vector<Swarm>> r = DecodeSwarms(stream, "multi.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "multi.yaml:16:13: spec.drones[0].name: invalid name \"Bad\": expected 1-63 "
            "lowercase letters, digits or '-', starting and ending with a letter or digit");
}

TEST(DecodeSwarmTest, RequiresExactlyOneDocument) {
  Result<Swarm> r = DecodeSwarm("# only a comment\n", "body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "body: expected one Swarm document, found none");

  r = DecodeSwarm(std::string(kHead) + "---\n" + kHead, "body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "body:9:1: expected one Swarm document, found 2 (the second starts here)");
}

TEST(DecodeSwarmTest, YamlSyntaxErrorsNameTheirPosition) {
  struct Case {
    std::string name, yaml, want;
  };
  const Case cases[] = {
      {"bad_indentation", "apiVersion: v\n kind: Swarm\n", "x.yaml:2:6: illegal map value"},
      {"unclosed_flow", "spec:\n  drones: [a, b\n", "x.yaml:3:1: end of sequence flow not found"},
      {"nested_plain_mapping", "kind: a: b\n", "x.yaml:1:8: illegal map value"},
      {"stray_flow_end", "spec:\n  drones: [a, b]]\n", "x.yaml:2:17: illegal flow end"},
      {"undefined_alias", "kind: &k Swarm\nspec: *s\n",
       "x.yaml:2:7: the referenced anchor is not defined"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Result<Swarm> r = DecodeSwarm(c.yaml, "x.yaml");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), c.want);
  }
}

TEST(DecodeSwarmTest, ReportsEveryErrorInDocumentOrderOnePerLine) {
  std::string yaml = R"(apiVersion: buildswarm.io/v1alpha1
kind: Swarm
metadata:
  name: Home
spec:
  portage: {treeRevision: "a b"}
  deploy: {}
  queue:
    discoverOn: ghost
    target: [x]
  drones:
    - name: drone-izar
      labels: {cores: many}
    - name: drone-izar
  policy:
    heartbeatGrace: 1s
    groundAfterFailures: 0
)";
  Result<Swarm> r = DecodeSwarm(yaml, "swarm.yaml");
  ASSERT_FALSE(r.ok());
  std::vector<std::string> lines = Lines(r.status().message());
  ASSERT_EQ(lines.size(), 9u) << r.status().message();
  EXPECT_EQ(lines[0].rfind("swarm.yaml:4:3: metadata.name: invalid name \"Home\"", 0), 0u);
  EXPECT_EQ(lines[1].rfind("swarm.yaml:6:13: spec.portage.treeRevision: \"a b\" may contain", 0),
            0u);
  EXPECT_EQ(lines[2].rfind("swarm.yaml:7:3: spec.deploy.version: required", 0), 0u);
  EXPECT_EQ(lines[3].rfind("swarm.yaml:9:5: spec.queue.discoverOn: \"ghost\" is not in", 0), 0u);
  EXPECT_EQ(lines[4].rfind("swarm.yaml:10:5: spec.queue.target: unknown field", 0), 0u);
  EXPECT_EQ(lines[5].rfind("swarm.yaml:13:16: spec.drones[0].labels.cores: \"many\"", 0), 0u);
  EXPECT_EQ(lines[6],
            "swarm.yaml:14:7: spec.drones[1].name: duplicate drone name \"drone-izar\" (first "
            "at line 12)");
  EXPECT_EQ(lines[7].rfind("swarm.yaml:16:5: spec.policy.heartbeatGrace: must be greater than "
                           "heartbeatInterval (5s), got 1s",
                           0),
            0u);
  EXPECT_EQ(
      lines[8].rfind("swarm.yaml:17:5: spec.policy.groundAfterFailures: must be at least 1", 0),
      0u);
}

TEST(DecodeSwarmTest, AValueThatCannotBeReadIsReportedOnce) {
  Result<Swarm> r = DecodeSwarm(R"(apiVersion: {v: 1}
kind: Swarm
metadata: home
spec:
  portage: {treeRevision: abc}
  deploy: {version: v1}
  drones: [drone-izar]
)",
                                "x.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "x.yaml:1:1: apiVersion: expected a string, got a mapping\n"
            "x.yaml:3:1: metadata: expected a mapping, got \"home\"\n"
            "x.yaml:7:12: spec.drones[0]: expected a mapping, got \"drone-izar\"");
}

TEST(DecodeSwarmTest, ADocumentThatIsNotAMappingIsRefused) {
  Result<Swarm> r = DecodeSwarm("- a\n- b\n", "x.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "x.yaml:1:1: expected a mapping, got a sequence");
}

}  // namespace
}  // namespace swarm::api

// Every mistake an operator can make in a Swarm document, each with the exact
// location and message it must produce. Each case holds one mistake, so each
// must produce exactly the expected number of error lines (one, mostly): a
// mistake reported twice, or a valid field reported at all, fails too.

#include <gtest/gtest.h>

#include <algorithm>

#include "api/codec.h"
#include "tests/api/swarm_examples.h"

namespace swarm::api {
namespace {

using testing::kHead;

struct ErrorCase {
  std::string name;
  std::string yaml;
  std::string want;  // substring of the message, from "x.yaml:<line>:<col>: "
  size_t lines = 1;  // error lines expected
};

// Names the case in failure output instead of dumping its bytes.
void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

// kHead with one substitution (lines 1-7, see swarm_examples.h).
std::string With(const std::string& from, const std::string& to) {
  std::string s = kHead;
  size_t at = s.find(from);
  if (at == std::string::npos) ADD_FAILURE() << "kHead has no " << from;
  return s.replace(at, from.size(), to);
}

// kHead followed by `tail`, which starts at line 8 inside `spec:`.
std::string Tail(const std::string& tail) { return std::string(kHead) + tail; }

std::string InPolicy(const std::string& line) { return Tail("  policy:\n    " + line + "\n"); }
std::string InDrone(const std::string& line) {
  return Tail("  drones:\n    - name: a\n      " + line + "\n");
}
std::string InRequirement(const std::string& lines) {
  return Tail("  queue:\n    requirements:\n      - " + lines + "\n");
}

const char kNameForm[] =
    "expected 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit";
const char kShellSafe[] =
    "may contain only letters, digits and . _ + - (it is substituted into shell hooks)";

std::vector<ErrorCase> Cases() {
  return {
      // Unknown and duplicate fields, with the allowed ones listed.
      {"unknown_top_level_field", Tail("extra: 1\n"),
       "x.yaml:8:1: extra: unknown field \"extra\"; allowed fields: apiVersion, kind, metadata, "
       "spec"},
      {"unknown_metadata_field", With("  name: home\n", "  name: home\n  namespace: default\n"),
       "x.yaml:5:3: metadata.namespace: unknown field \"namespace\"; allowed fields: name, "
       "annotations, labels"},
      {"unknown_spec_field", Tail("  drone:\n    - name: a\n"),
       "x.yaml:8:3: spec.drone: unknown field \"drone\"; allowed fields: portage, deploy, queue, "
       "drones, policy"},
      {"unknown_portage_field", With("abc123}", "abc123, branch: master}"),
       "x.yaml:6:35: spec.portage.branch: unknown field \"branch\"; allowed fields: treeRevision"},
      {"unknown_queue_field", Tail("  queue:\n    target: [\"@world\"]\n"),
       "x.yaml:9:5: spec.queue.target: unknown field \"target\"; allowed fields: discoverOn, "
       "targets, emergeArgs, packages, requirements"},
      {"unknown_requirement_field", InRequirement("match: a/b\n        mem: 1Gi"),
       "x.yaml:11:9: spec.queue.requirements[0].mem: unknown field \"mem\"; allowed fields: "
       "match, memory, cores"},
      {"unknown_drone_field", InDrone("label: {x: y}"),
       "x.yaml:10:7: spec.drones[0].label: unknown field \"label\"; allowed fields: name, labels, "
       "roles"},
      {"unknown_policy_field", InPolicy("heartbeat: 5s"),
       "x.yaml:9:5: spec.policy.heartbeat: unknown field \"heartbeat\"; allowed fields: "
       "heartbeatInterval, heartbeatGrace, groundAfterFailures, groundingCooldown, "
       "systemicFailureFraction, scheduling, requireCapacityLabels, health"},
      {"unknown_health_field", InPolicy("health: {probe: 5s}"),
       "x.yaml:9:14: spec.policy.health.probe: unknown field \"probe\"; allowed fields: "
       "probeInterval, memoryDegradedPercent, diskDegradedPercent"},
      {"duplicate_field", InDrone("name: b"),
       "x.yaml:10:7: spec.drones[0].name: duplicate field \"name\" (first at line 9)"},

      // Wrong types.
      {"string_got_mapping", With("  name: home\n", "  name: {first: home}\n"),
       "x.yaml:4:3: metadata.name: expected a string, got a mapping"},
      {"string_got_sequence", Tail("  queue:\n    discoverOn: [a]\n  drones: [{name: a}]\n"),
       "x.yaml:9:5: spec.queue.discoverOn: expected a string, got a sequence"},
      {"sequence_got_string", Tail("  queue:\n    targets: \"@world\"\n"),
       "x.yaml:9:5: spec.queue.targets: expected a sequence of strings, got the quoted string "
       "\"@world\""},
      {"sequence_entry_got_mapping", Tail("  queue:\n    targets: [{a: b}]\n"),
       "x.yaml:9:15: spec.queue.targets[0]: expected a string, got a mapping"},
      // Kept as JSON, which holds only UTF-8 (found by fuzz/swarm_yaml_fuzzer.cc).
      {"target_not_utf8", Tail("  queue:\n    targets: [\"@wo\xf2ld\"]\n"),
       "x.yaml:9:15: spec.queue.targets[0]: expected UTF-8 text, got a string whose byte 4 is "
       "not UTF-8"},
      {"label_key_not_utf8", InDrone("labels: {\"\xc0\xaf\": x}"),
       "x.yaml:10:16: spec.drones[0].labels: keys must be UTF-8 text: expected UTF-8 text, got a "
       "string whose byte 1 is not UTF-8"},
      {"drones_got_mapping", Tail("  drones: {name: a}\n"),
       "x.yaml:8:3: spec.drones: expected a sequence, got a mapping"},
      {"drone_got_string", Tail("  drones: [a]\n"),
       "x.yaml:8:12: spec.drones[0]: expected a mapping, got \"a\""},
      {"labels_got_sequence", InDrone("labels: [cores]"),
       "x.yaml:10:7: spec.drones[0].labels: expected a mapping of strings, got a sequence"},
      {"label_value_got_mapping", InDrone("labels: {site: {x: y}}"),
       "x.yaml:10:16: spec.drones[0].labels.site: expected a string, got a mapping"},
      {"roles_got_string", InDrone("roles: build"),
       "x.yaml:10:7: spec.drones[0].roles: expected a sequence of strings, got \"build\""},
      {"annotations_got_sequence", With("  name: home\n", "  name: home\n  annotations: [a]\n"),
       "x.yaml:5:3: metadata.annotations: expected a mapping of strings, got a sequence"},
      {"spec_got_string",
       "apiVersion: buildswarm.io/v1alpha1\nkind: Swarm\nmetadata: {name: home}\nspec: none\n",
       "x.yaml:4:1: spec: expected a mapping, got \"none\""},
      {"integer_got_word", InPolicy("groundAfterFailures: five"),
       "x.yaml:9:5: spec.policy.groundAfterFailures: expected an integer, got \"five\""},
      {"integer_got_decimal", InPolicy("groundAfterFailures: 2.5"),
       "x.yaml:9:5: spec.policy.groundAfterFailures: expected an integer, got \"2.5\""},
      {"integer_got_quoted", InPolicy("groundAfterFailures: \"5\""),
       "x.yaml:9:5: spec.policy.groundAfterFailures: expected an integer, got the quoted string "
       "\"5\""},
      {"integer_out_of_range", InPolicy("groundAfterFailures: 99999999999"),
       "x.yaml:9:5: spec.policy.groundAfterFailures: integer 99999999999 is out of range"},
      {"percent_got_text", InPolicy("health:\n      memoryDegradedPercent: 85%"),
       "x.yaml:10:7: spec.policy.health.memoryDegradedPercent: expected an integer, got \"85%\""},
      {"requirement_cores_got_word", InRequirement("match: a/b\n        cores: abc"),
       "x.yaml:11:9: spec.queue.requirements[0].cores: expected an integer, got \"abc\""},
      {"number_got_word", InPolicy("systemicFailureFraction: half"),
       "x.yaml:9:5: spec.policy.systemicFailureFraction: expected a number, got \"half\""},
      {"bool_got_word", InPolicy("requireCapacityLabels: yes"),
       "x.yaml:9:5: spec.policy.requireCapacityLabels: expected true or false, got \"yes\""},
      {"number_got_nan", InPolicy("systemicFailureFraction: .nan"),
       "x.yaml:9:5: spec.policy.systemicFailureFraction: expected a number, got \".nan\""},

      // Names.
      {"missing_metadata_name", With("  name: home\n", "  annotations: {a: b}\n"),
       "x.yaml:3:1: metadata.name: required: the swarm's name"},
      {"missing_metadata",
       "apiVersion: buildswarm.io/v1alpha1\nkind: Swarm\nspec:\n  portage: {treeRevision: a}\n"
       "  deploy: {version: v1}\n",
       "x.yaml:1:1: metadata.name: required: the swarm's name"},
      {"empty_metadata_name", With("name: home", "name: \"\""),
       "x.yaml:4:3: metadata.name: required: the swarm's name"},
      {"uppercase_metadata_name", With("name: home", "name: Home"),
       "x.yaml:4:3: metadata.name: invalid name \"Home\": " + std::string(kNameForm)},
      {"metadata_name_leading_dash", With("name: home", "name: -home"),
       "x.yaml:4:3: metadata.name: invalid name \"-home\""},
      {"metadata_name_too_long", With("name: home", "name: " + std::string(64, 'a')),
       "x.yaml:4:3: metadata.name: invalid name \"aaaa"},
      {"drone_name_underscore", Tail("  drones:\n    - name: drone_1\n"),
       "x.yaml:9:7: spec.drones[0].name: invalid name \"drone_1\": " + std::string(kNameForm)},
      {"drone_name_missing", Tail("  drones:\n    - labels: {site: x}\n"),
       "x.yaml:9:7: spec.drones[0].name: required: the drone's host name"},
      {"duplicate_drone_name",
       Tail("  drones:\n    - name: drone-izar\n    - name: drone-meridian\n"
            "    - name: drone-izar\n"),
       "x.yaml:11:7: spec.drones[2].name: duplicate drone name \"drone-izar\" (first at line 9)"},

      // Durations.
      {"duration_without_unit", InPolicy("heartbeatInterval: 5"),
       "x.yaml:9:5: spec.policy.heartbeatInterval: invalid duration \"5\": missing unit"},
      {"duration_unknown_unit", InPolicy("heartbeatInterval: 5x"),
       "x.yaml:9:5: spec.policy.heartbeatInterval: invalid duration \"5x\": unknown unit \"x\""},
      {"duration_negative", InPolicy("heartbeatInterval: -5s"),
       "x.yaml:9:5: spec.policy.heartbeatInterval: invalid duration \"-5s\": negative durations "
       "are not allowed"},
      {"duration_empty", InPolicy("heartbeatGrace: \"\""),
       "x.yaml:9:5: spec.policy.heartbeatGrace: invalid duration \"\": empty"},
      {"duration_overflow", InPolicy("groundingCooldown: 99999999999999h"),
       "x.yaml:9:5: spec.policy.groundingCooldown: invalid duration \"99999999999999h\": too "
       "large"},
      {"duration_with_words", InPolicy("groundingCooldown: 5 minutes"),
       "x.yaml:9:5: spec.policy.groundingCooldown: invalid duration \"5 minutes\": unknown unit"},
      {"duration_in_health", InPolicy("health: {probeInterval: fast}"),
       "x.yaml:9:14: spec.policy.health.probeInterval: invalid duration \"fast\""},

      // Capacity labels.
      {"cores_label_decimal", InDrone("labels: {cores: \"16.5\"}"),
       "x.yaml:10:16: spec.drones[0].labels.cores: \"16.5\" must be a whole positive number of "
       "cores, such as \"16\""},
      {"cores_label_zero", InDrone("labels: {cores: 0}"),
       "x.yaml:10:16: spec.drones[0].labels.cores: \"0\" must be a whole positive number"},
      {"cores_label_negative", InDrone("labels: {cores: -4}"),
       "x.yaml:10:16: spec.drones[0].labels.cores: \"-4\" must be a whole positive number"},
      {"memory_label_bad_suffix", InDrone("labels: {memory: 32GB}"),
       "x.yaml:10:16: spec.drones[0].labels.memory: invalid quantity \"32GB\": unknown suffix "
       "\"GB\""},
      {"memory_label_fraction_of_byte", InDrone("labels: {memory: \"0.5\"}"),
       "x.yaml:10:16: spec.drones[0].labels.memory: invalid quantity \"0.5\": not a whole number "
       "of bytes"},
      {"memory_label_zero", InDrone("labels: {memory: 0Gi}"),
       "x.yaml:10:16: spec.drones[0].labels.memory: invalid quantity \"0Gi\": must be positive"},

      // Roles.
      {"unknown_role", InDrone("roles: [builder]"),
       "x.yaml:10:15: spec.drones[0].roles[0]: unknown role \"builder\"; expected build or "
       "discover"},
      {"duplicate_role", InDrone("roles: [build, build]"),
       "x.yaml:10:22: spec.drones[0].roles[1]: duplicate role \"build\" (first at line 10)"},

      // The queue.
      {"discover_on_not_in_roster",
       Tail("  queue:\n    discoverOn: ghost\n  drones:\n    - name: a\n"),
       "x.yaml:9:5: spec.queue.discoverOn: \"ghost\" is not in the roster (spec.drones); expected "
       "one of: a"},
      {"discover_on_empty_roster", Tail("  queue:\n    discoverOn: ghost\n"),
       "x.yaml:9:5: spec.queue.discoverOn: \"ghost\" is not in the roster (spec.drones); expected "
       "one of: (the roster is empty)"},
      {"target_empty", Tail("  queue:\n    targets: [\"@world\", \"\"]\n"),
       "x.yaml:9:25: spec.queue.targets[1]: must not be empty"},
      {"target_with_space", Tail("  queue:\n    targets: [\"@world @system\"]\n"),
       "x.yaml:9:15: spec.queue.targets[0]: \"@world @system\" must not contain whitespace"},
      {"target_option", Tail("  queue:\n    targets: [\"@world\", \"--sync\"]\n"),
       "x.yaml:9:25: spec.queue.targets[1]: \"--sync\" must not start with '-': emerge would "
       "read it as an option"},
      {"target_path", Tail("  queue:\n    targets: [/etc/portage/evil.ebuild]\n"),
       "x.yaml:9:15: spec.queue.targets[0]: \"/etc/portage/evil.ebuild\" is not a package atom "
       "or set: expected category/package"},
      {"emerge_args_config_root",
       Tail("  queue:\n    emergeArgs: \"--update --config-root=/tmp/evil\"\n"),
       "x.yaml:9:5: spec.queue.emergeArgs: \"--config-root=/tmp/evil\": --config-root is not "
       "an option emergeArgs may pass: only emerge's dependency-resolution options are allowed "
       "(docs/swarm.md lists them)"},
      {"emerge_args_shell", Tail("  queue:\n    emergeArgs: \"--pretend; rm -rf /\"\n"),
       "x.yaml:9:5: spec.queue.emergeArgs: \"--pretend;\": --pretend; is not an option"},
      {"emerge_args_target", Tail("  queue:\n    emergeArgs: \"-uDN @world\"\n"),
       "x.yaml:9:5: spec.queue.emergeArgs: \"@world\": not an option: packages and sets belong "
       "in spec.queue.targets"},
      {"package_null", Tail("  queue:\n    packages: [~]\n"),
       "x.yaml:9:5: spec.queue.packages[0]: must not be empty"},
      {"package_with_space",
       Tail("  queue:\n    packages:\n      - \"dev-lang/rust dev-lang/go\"\n"),
       "x.yaml:10:9: spec.queue.packages[0]: \"dev-lang/rust dev-lang/go\" must not contain "
       "whitespace"},
      {"requirement_match_without_category", InRequirement("match: qtwebengine"),
       "x.yaml:10:9: spec.queue.requirements[0].match: \"qtwebengine\" is not a package: "
       "expected category/name such as dev-qt/qtwebengine ('*' matches any characters)"},
      {"requirement_match_with_operator", InRequirement("match: \">=dev-qt/qtwebengine-6\""),
       "x.yaml:10:9: spec.queue.requirements[0].match: \">=dev-qt/qtwebengine-6\" is not a "
       "package"},
      {"requirement_match_two_slashes", InRequirement("match: dev-qt/qt/webengine"),
       "x.yaml:10:9: spec.queue.requirements[0].match: \"dev-qt/qt/webengine\" is not a package"},
      {"requirement_match_missing", InRequirement("memory: 32Gi"),
       "x.yaml:10:9: spec.queue.requirements[0].match: required"},
      {"requirement_memory_bad", InRequirement("match: a/b\n        memory: 32GB"),
       "x.yaml:11:9: spec.queue.requirements[0].memory: invalid quantity \"32GB\": unknown suffix"},
      {"requirement_cores_zero", InRequirement("match: a/b\n        cores: 0"),
       "x.yaml:11:9: spec.queue.requirements[0].cores: must be a positive integer, got 0"},

      // apiVersion and kind.
      {"wrong_api_version", With("apiVersion: buildswarm.io/v1alpha1", "apiVersion: v1"),
       "x.yaml:1:1: apiVersion: unsupported apiVersion \"v1\"; expected buildswarm.io/v1alpha1"},
      {"missing_api_version", With("apiVersion: buildswarm.io/v1alpha1\n", ""),
       "x.yaml:1:1: apiVersion: required; expected buildswarm.io/v1alpha1"},
      {"wrong_kind", With("kind: Swarm", "kind: Drone"),
       "x.yaml:2:1: kind: unsupported kind \"Drone\"; expected Swarm"},
      {"missing_kind", With("kind: Swarm\n", ""), "x.yaml:1:1: kind: required; expected Swarm"},

      // Required revision and version, and their shell-safe form.
      {"missing_tree_revision", With("  portage: {treeRevision: abc123}\n", "  portage: {}\n"),
       "x.yaml:6:3: spec.portage.treeRevision: required: the gentoo repository commit every "
       "member must have"},
      {"missing_portage", With("  portage: {treeRevision: abc123}\n", ""),
       "x.yaml:5:1: spec.portage.treeRevision: required"},
      {"missing_deploy_version", With("  deploy: {version: \"2026.02.05\"}\n", "  deploy:\n"),
       "x.yaml:7:3: spec.deploy.version: required: the deploy version every member must run"},
      {"missing_spec", "apiVersion: buildswarm.io/v1alpha1\nkind: Swarm\nmetadata: {name: home}\n",
       "x.yaml:1:1: spec.portage.treeRevision: required: the gentoo repository commit every "
       "member must have\nx.yaml:1:1: spec.deploy.version: required",
       2},
      {"tree_revision_shell_command", With("abc123", "\"abc123; rm -rf /\""),
       "x.yaml:6:13: spec.portage.treeRevision: \"abc123; rm -rf /\" " + std::string(kShellSafe)},
      {"tree_revision_substitution", With("abc123", "\"$(id)\""),
       "x.yaml:6:13: spec.portage.treeRevision: \"$(id)\" " + std::string(kShellSafe)},
      {"deploy_version_space", With("\"2026.02.05\"", "\"2026 02 05\""),
       "x.yaml:7:12: spec.deploy.version: \"2026 02 05\" " + std::string(kShellSafe)},
      {"deploy_version_backtick", With("\"2026.02.05\"", "\"v1`id`\""),
       "x.yaml:7:12: spec.deploy.version: \"v1`id`\" " + std::string(kShellSafe)},
      {"tree_revision_option", With("abc123", "\"--upload-pack=touch\""),
       "x.yaml:6:13: spec.portage.treeRevision: \"--upload-pack=touch\" " +
           std::string(kShellSafe)},
      {"tree_revision_dash", With("abc123", "\"-abc123\""),
       "x.yaml:6:13: spec.portage.treeRevision: \"-abc123\" must start with a letter or digit "
       "(git would take a leading '-' for an option)"},
      {"tree_revision_dots", With("abc123", "abc..def"),
       "x.yaml:6:13: spec.portage.treeRevision: \"abc..def\" is not a git commit or ref name: "
       "no \"..\", and no \".\" or \".lock\" at the end (git check-ref-format)"},
      {"deploy_version_dash", With("\"2026.02.05\"", "\"-rf\""),
       "x.yaml:7:12: spec.deploy.version: \"-rf\" must start with a letter or digit (the deploy "
       "hook would take a leading '-' for an option)"},

      // Policy ranges.
      {"heartbeat_interval_zero", InPolicy("heartbeatInterval: 0s"),
       "x.yaml:9:5: spec.policy.heartbeatInterval: must be greater than 0s, got 0s"},
      {"heartbeat_grace_zero", InPolicy("heartbeatGrace: 0ms"),
       "x.yaml:9:5: spec.policy.heartbeatGrace: must be greater than 0s, got 0s"},
      {"heartbeat_grace_equal_to_interval", InPolicy("heartbeatGrace: 5s"),
       "x.yaml:9:5: spec.policy.heartbeatGrace: must be greater than heartbeatInterval (5s), got "
       "5s"},
      {"heartbeat_interval_past_default_grace", InPolicy("heartbeatInterval: 30s"),
       "x.yaml:8:3: spec.policy.heartbeatGrace: must be greater than heartbeatInterval (30s), got "
       "20s"},
      {"ground_after_zero_failures", InPolicy("groundAfterFailures: 0"),
       "x.yaml:9:5: spec.policy.groundAfterFailures: must be at least 1, got 0"},
      {"grounding_cooldown_zero", InPolicy("groundingCooldown: 0s"),
       "x.yaml:9:5: spec.policy.groundingCooldown: must be greater than 0s, got 0s"},
      {"systemic_fraction_zero", InPolicy("systemicFailureFraction: 0"),
       "x.yaml:9:5: spec.policy.systemicFailureFraction: must be greater than 0 and at most 1, got "
       "0"},
      {"systemic_fraction_above_one", InPolicy("systemicFailureFraction: 1.5"),
       "x.yaml:9:5: spec.policy.systemicFailureFraction: must be greater than 0 and at most 1, got "
       "1.5"},
      {"systemic_fraction_negative", InPolicy("systemicFailureFraction: -0.5"),
       "x.yaml:9:5: spec.policy.systemicFailureFraction: must be greater than 0 and at most 1, got "
       "-0.5"},
      {"probe_interval_zero", InPolicy("health: {probeInterval: 0ms}"),
       "x.yaml:9:14: spec.policy.health.probeInterval: must be greater than 0s, got 0s"},
      {"memory_percent_zero", InPolicy("health: {memoryDegradedPercent: 0}"),
       "x.yaml:9:14: spec.policy.health.memoryDegradedPercent: must be between 1 and 100, got 0"},
      {"disk_percent_above_100", InPolicy("health: {diskDegradedPercent: 101}"),
       "x.yaml:9:14: spec.policy.health.diskDegradedPercent: must be between 1 and 100, got 101"},
  };
}

class DecodeErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(DecodeErrorTest, ReportsTheMistakeWhereItIs) {
  const ErrorCase& c = GetParam();
  Result<Swarm> r = DecodeSwarm(c.yaml, "x.yaml");
  ASSERT_FALSE(r.ok()) << "accepted:\n" << c.yaml;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = r.status().message();
  EXPECT_EQ(message.rfind(c.want, 0), 0u) << "message:\n" << message << "\ninput:\n" << c.yaml;
  size_t lines = std::count(message.begin(), message.end(), '\n') + 1;
  EXPECT_EQ(lines, c.lines) << message;
}

INSTANTIATE_TEST_SUITE_P(Table, DecodeErrorTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<ErrorCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace swarm::api

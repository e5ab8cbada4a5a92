#include "api/validation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace swarm::api {
namespace {

using std::chrono::seconds;

Swarm ValidSwarm() {
  Swarm s;
  s.metadata.name = "home";
  s.spec.portage.tree_revision = "9fc7a49ad6496faebea1c1d1848199fb6278bcec";
  s.spec.deploy.version = "2026.02.05";
  s.spec.queue.discover_on = "desktop";
  s.spec.queue.targets = {"@world"};
  s.spec.queue.packages = {"dev-lang/rust"};
  s.spec.queue.requirements = {{"dev-qt/qtwebengine", "32Gi", 32LL << 30, std::nullopt},
                               {"www-client/*", "", 0, 8},
                               {"*/*", "1.5Gi", 3LL << 29, 1}};
  s.spec.drones = {{"drone-izar", {{"cores", "16"}, {"memory", "32Gi"}, {"site", "x y"}}, {}},
                   {"desktop", {}, {"discover", "build"}},
                   {"0", {{"memory", "1073741824"}}, {"build"}}};
  return s;
}

TEST(ValidateTest, AcceptsAValidSwarm) {
  std::vector<FieldError> errors = Validate(ValidSwarm());
  for (const auto& e : errors) ADD_FAILURE() << e.path << ": " << e.message;
}

TEST(ValidateTest, ReportsEachProblemAtItsPath) {
  struct Case {
    std::string name;
    std::function<void(Swarm&)> mutate;
    std::string path;
    std::string message;  // substring
  };
  const Case cases[] = {
      {"api_version", [](Swarm& s) { s.api_version = "v1"; }, "apiVersion", "unsupported"},
      {"kind", [](Swarm& s) { s.kind = ""; }, "kind", "required; expected Swarm"},
      {"no_name", [](Swarm& s) { s.metadata.name = ""; }, "metadata.name", "required"},
      {"bad_name", [](Swarm& s) { s.metadata.name = "home."; }, "metadata.name", "invalid name"},
      {"no_revision", [](Swarm& s) { s.spec.portage.tree_revision = ""; },
       "spec.portage.treeRevision", "required"},
      {"revision_newline", [](Swarm& s) { s.spec.portage.tree_revision = "abc\ndef"; },
       "spec.portage.treeRevision", "substituted into shell hooks"},
      {"revision_option", [](Swarm& s) { s.spec.portage.tree_revision = "-c"; },
       "spec.portage.treeRevision", "\"-c\" must start with a letter or digit"},
      {"revision_lock", [](Swarm& s) { s.spec.portage.tree_revision = "main.lock"; },
       "spec.portage.treeRevision", "is not a git commit or ref name"},
      {"version_option", [](Swarm& s) { s.spec.deploy.version = "-rf"; }, "spec.deploy.version",
       "\"-rf\" must start with a letter or digit (the deploy hook would take a leading '-' for "
       "an option)"},
      {"version_quote", [](Swarm& s) { s.spec.deploy.version = "v1'"; }, "spec.deploy.version",
       "substituted into shell hooks"},
      {"target_tab",
       [](Swarm& s) {
         s.spec.queue.targets = {"@world", "a\tb"};
       },
       "spec.queue.targets[1]", "whitespace"},
      {"target_option", [](Swarm& s) { s.spec.queue.targets = {"@world", "--sync"}; },
       "spec.queue.targets[1]", "\"--sync\" must not start with '-'"},
      {"target_not_atom", [](Swarm& s) { s.spec.queue.targets = {"rust"}; },
       "spec.queue.targets[0]", "\"rust\" is not a package atom or set"},
      {"emerge_args", [](Swarm& s) { s.spec.queue.emerge_args = "-uDN --root=/mnt"; },
       "spec.queue.emergeArgs", "\"--root=/mnt\": --root is not an option emergeArgs may pass"},
      {"package_empty", [](Swarm& s) { s.spec.queue.packages = {""}; }, "spec.queue.packages[0]",
       "must not be empty"},
      {"discover_on", [](Swarm& s) { s.spec.queue.discover_on = "laptop"; },
       "spec.queue.discoverOn",
       "\"laptop\" is not in the roster (spec.drones); expected one of: drone-izar, desktop, 0"},
      {"match", [](Swarm& s) { s.spec.queue.requirements[0].match = "dev-qt/"; },
       "spec.queue.requirements[0].match", "is not a package"},
      {"req_memory", [](Swarm& s) { s.spec.queue.requirements[1].memory = "lots"; },
       "spec.queue.requirements[1].memory", "invalid quantity \"lots\""},
      {"req_cores", [](Swarm& s) { s.spec.queue.requirements[2].cores = -1; },
       "spec.queue.requirements[2].cores", "must be a positive integer, got -1"},
      {"version_too_long", [](Swarm& s) { s.spec.deploy.version = std::string(257, 'v'); },
       "spec.deploy.version", "257 bytes, over the limit of 256"},
      {"drone_name", [](Swarm& s) { s.spec.drones[2].name = "Zero"; }, "spec.drones[2].name",
       "invalid name"},
      {"cores_label", [](Swarm& s) { s.spec.drones[0].labels["cores"] = "16 "; },
       "spec.drones[0].labels.cores", "whole positive number"},
      {"cores_label_huge", [](Swarm& s) { s.spec.drones[0].labels["cores"] = "99999999999"; },
       "spec.drones[0].labels.cores", "whole positive number"},
      {"memory_label", [](Swarm& s) { s.spec.drones[2].labels["memory"] = "1.5"; },
       "spec.drones[2].labels.memory", "not a whole number of bytes"},
      {"empty_label_key", [](Swarm& s) { s.spec.drones[0].labels[""] = "x"; },
       "spec.drones[0].labels", "label keys must not be empty"},
      {"role", [](Swarm& s) { s.spec.drones[1].roles = {"Discover"}; }, "spec.drones[1].roles[0]",
       "unknown role \"Discover\"; expected build or discover"},
      {"interval", [](Swarm& s) { s.spec.policy.heartbeat_interval = Duration(-1); },
       "spec.policy.heartbeatInterval", "must be greater than 0s"},
      {"grace", [](Swarm& s) { s.spec.policy.heartbeat_grace = seconds(4); },
       "spec.policy.heartbeatGrace", "must be greater than heartbeatInterval (5s), got 4s"},
      {"failures", [](Swarm& s) { s.spec.policy.ground_after_failures = -3; },
       "spec.policy.groundAfterFailures", "at least 1"},
      {"cooldown", [](Swarm& s) { s.spec.policy.grounding_cooldown = Duration(0); },
       "spec.policy.groundingCooldown", "must be greater than 0s"},
      {"fraction_nan", [](Swarm& s) { s.spec.policy.systemic_failure_fraction = std::nan(""); },
       "spec.policy.systemicFailureFraction", "greater than 0 and at most 1"},
      {"probe", [](Swarm& s) { s.spec.policy.health.probe_interval = Duration(0); },
       "spec.policy.health.probeInterval", "must be greater than 0s"},
      {"memory_percent", [](Swarm& s) { s.spec.policy.health.memory_degraded_percent = 101; },
       "spec.policy.health.memoryDegradedPercent", "between 1 and 100, got 101"},
      {"disk_percent", [](Swarm& s) { s.spec.policy.health.disk_degraded_percent = 0; },
       "spec.policy.health.diskDegradedPercent", "between 1 and 100, got 0"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Swarm s = ValidSwarm();
    c.mutate(s);
    std::vector<FieldError> errors = Validate(s);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].path, c.path);
    EXPECT_NE(errors[0].message.find(c.message), std::string::npos) << errors[0].message;
    EXPECT_EQ(errors[0].first_path, "");
  }
}

TEST(ValidateTest, DuplicatesPointAtTheFirstOccurrence) {
  Swarm s = ValidSwarm();
  s.spec.drones.push_back({"desktop", {}, {}});
  s.spec.drones[0].roles = {"build", "discover", "build"};
  std::vector<FieldError> errors = Validate(s);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "spec.drones[0].roles[2]");
  EXPECT_EQ(errors[0].message, "duplicate role \"build\"");
  EXPECT_EQ(errors[0].first_path, "spec.drones[0].roles[0]");
  EXPECT_EQ(errors[1].path, "spec.drones[3].name");
  EXPECT_EQ(errors[1].message, "duplicate drone name \"desktop\"");
  EXPECT_EQ(errors[1].first_path, "spec.drones[1].name");
}

TEST(ValidateTest, ReportsEveryProblemNotJustTheFirst) {
  Swarm s;
  s.api_version = "";
  s.spec.policy.ground_after_failures = 0;
  std::vector<FieldError> errors = Validate(s);
  std::vector<std::string> paths;
  for (const auto& e : errors) paths.push_back(e.path);
  EXPECT_EQ(paths,
            (std::vector<std::string>{"apiVersion", "metadata.name", "spec.portage.treeRevision",
                                      "spec.deploy.version", "spec.policy.groundAfterFailures"}));
}

TEST(CheckTreeRevisionTest, TakesCommitsAndRefNamesThatGitCannotReadAsOptions) {
  for (const char* ok : {"9fc7a49ad6496faebea1c1d1848199fb6278bcec", "9fc7a49", "rev-2", "HEAD",
                         "v1.2.3", "2026.02.05", "a_b+c",
                         "b001a823ca122d7f3a95b7d6ea4bac03c4968e96b001a823ca122d7f3a95b7d6"}) {
    EXPECT_TRUE(CheckTreeRevision(ok).ok()) << ok << ": " << CheckTreeRevision(ok).message();
  }
  for (const char* bad : {"", "-c", "--upload-pack=x", ".hidden", "_x", "+x", "a..b", "main.",
                          "main.lock", "refs/heads/main", "a b", "a;b", "HEAD~1", "HEAD^",
                          "a:b", "@{-1}", "x\n"}) {
    EXPECT_EQ(CheckTreeRevision(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(CheckDeployVersionTest, TakesVersionsThatNoHookCanReadAsOptions) {
  for (const char* ok : {"2026.02.05", "v1", "1.0_rc1", "sim", "1.0-r2"}) {
    EXPECT_TRUE(CheckDeployVersion(ok).ok()) << ok << ": " << CheckDeployVersion(ok).message();
  }
  for (const char* bad : {"", "-rf", "--help", ".", "..", "../x", "1.0/x", "_x", "v1 v2", "$(id)"}) {
    EXPECT_EQ(CheckDeployVersion(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(IsValidNameTest, FollowsDns1123Labels) {
  for (const std::string& ok :
       std::vector<std::string>{"a", "0", "drone-izar", "a1-b2", "123", std::string(63, 'z')}) {
    EXPECT_TRUE(IsValidName(ok)) << ok;
  }
  for (const std::string& bad : std::vector<std::string>{
           "", "-a", "a-", "A", "drone_1", "drone.izar", "dr one", "é", std::string(64, 'z')}) {
    EXPECT_FALSE(IsValidName(bad)) << bad;
  }
}

}  // namespace
}  // namespace swarm::api

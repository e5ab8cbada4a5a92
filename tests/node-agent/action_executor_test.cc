#include "node-agent/action_executor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/node-agent/fake_command_runner.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::ReadFile;
using swarm::testing::TempDir;
using ::testing::ElementsAre;
using testing::FakeCommandRunner;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kOldTree[] = "092a79049d5018bcb56c602b625245c026d6041d";
constexpr char kNewTree[] = "b001a823ca122d7f3a95b7d6ea4bac03c4968e96";

// Two packages, openssl needing systemd-utils (indented under it by --tree).
constexpr char kPretendOutput[] =
    "\nThese are the packages that would be merged, in reverse order:\n\n"
    "Calculating dependencies... done!\n"
    "[ebuild     U  ] dev-libs/openssl-3.3.3::gentoo [3.3.2::gentoo] USE=\"asm -fips\" 0 KiB\n"
    "[ebuild     U  ]  sys-apps/systemd-utils-6.22.0::gentoo [6.21.0::gentoo] 0 KiB\n"
    "\nTotal: 2 packages (2 upgrades), Size of downloads: 0 KiB\n";

api::Action MakeAction(const std::string& id, const std::string& type) {
  api::Action a;
  a.id = id;
  a.type = type;
  return a;
}

std::string Lines(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += "line " + std::to_string(i) + "\n";
  return out;
}

class ActionExecutorTest : public ::testing::Test {
 protected:
  ActionExecutorTest() {
    dir_.Write("state/DEPLOY_MARKER", "2026.01.01\n");
    SetTree(kOldTree);
    settings_.state_dir = dir_.File("state");
    settings_.repo_dir = dir_.File("repo");
    settings_.emerge = "/usr/local/bin/emerge-wrapper";
    settings_.hooks.deploy = "/usr/local/sbin/deploy {version}";
    settings_.hooks.sync = "sync-tree {revision}";
    // git is "not installed": the tree revision comes from timestamp.commit.
    // Hooks and emerge answer from the queue, or from `hook_` when set.
    runner_.SetHandler([this](const CommandSpec& spec) -> Result<CommandResult> {
      if (spec.argv.at(0) == "git") return Unavailable("git: not found");
      if (hook_) return hook_(spec);
      return runner_.Next(spec);
    });
  }

  void SetTree(const std::string& rev) {
    dir_.Write("repo/metadata/timestamp.commit", rev + " 1738751400\n");
  }
  std::vector<CommandSpec> CommandsRun() const {
    std::vector<CommandSpec> out;
    for (const auto& s : runner_.specs()) {
      if (s.argv.at(0) != "git") out.push_back(s);
    }
    return out;
  }
  api::ActionResult Execute(const api::Action& a) {
    HostActionExecutor executor(settings_, &runner_);
    return executor.Execute(a);
  }

  static api::Action Deploy(const std::string& version) {
    api::Action a = MakeAction("d1", api::kActionDeploy);
    a.version = version;
    return a;
  }
  static api::Action Sync(const std::string& revision) {
    api::Action a = MakeAction("s1", api::kActionSync);
    a.revision = revision;
    return a;
  }
  static api::Action Discover(const std::string& tree, const std::string& deploy) {
    api::Action a = MakeAction("q1", api::kActionDiscover);
    a.targets = {"@world"};
    a.emerge_args = " --update  --deep\t--newuse ";
    a.tree_revision = tree;
    a.deploy_version = deploy;
    return a;
  }

  TempDir dir_;
  FakeCommandRunner runner_;
  ActionSettings settings_;
  std::function<Result<CommandResult>(const CommandSpec&)> hook_;
};

TEST_F(ActionExecutorTest, DeploySuccessWritesTheMarkerAndReportsIt) {
  runner_.PushExit(0, "installed\n");
  api::ActionResult r = Execute(Deploy("2026.02.05"));
  EXPECT_TRUE(r.succeeded) << r.message;
  EXPECT_EQ(r.id, "d1");
  EXPECT_EQ(r.type, "deploy");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.deploy_version, "2026.02.05");
  EXPECT_EQ(r.tree_revision, kOldTree);
  EXPECT_EQ(ReadFile(dir_.File("state/DEPLOY_MARKER")), "2026.02.05\n");
  // Written through a temporary file that is gone after the rename.
  for (const auto& e : std::filesystem::directory_iterator(dir_.File("state"))) {
    EXPECT_THAT(e.path().filename().string(), ::testing::Not(HasSubstr(".tmp")));
  }

  auto cmds = CommandsRun();
  ASSERT_EQ(cmds.size(), 1u);
  EXPECT_THAT(cmds[0].argv, ElementsAre("/bin/sh", "-c", "/usr/local/sbin/deploy 2026.02.05"));
  EXPECT_EQ(cmds[0].timeout, std::chrono::hours(1));
  EXPECT_EQ(cmds[0].output_file, dir_.File("state/logs/d1.log"));
  EXPECT_TRUE(std::filesystem::is_directory(dir_.File("state/logs")));
}

TEST_F(ActionExecutorTest, DeployFailureReportsExitAndTailAndKeepsTheMarker) {
  runner_.PushExit(1, Lines(1, 30));
  api::ActionResult r = Execute(Deploy("2026.02.05"));
  EXPECT_FALSE(r.succeeded);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.message, "hooks.deploy exited 1");
  EXPECT_EQ(r.output_tail, Lines(11, 30));
  EXPECT_EQ(r.deploy_version, "2026.01.01");
  EXPECT_EQ(ReadFile(dir_.File("state/DEPLOY_MARKER")), "2026.01.01\n");
}

TEST_F(ActionExecutorTest, DeployTimeoutAndSignalAreDescribed) {
  settings_.timeout = std::chrono::milliseconds(250);
  CommandResult killed;
  killed.signaled = true;
  killed.term_signal = 9;
  killed.timed_out = true;
  runner_.Push(killed);
  killed.timed_out = false;
  runner_.Push(killed);
  api::ActionResult r = Execute(Deploy("2026.02.05"));
  EXPECT_EQ(r.message, "hooks.deploy timed out after 250ms");
  EXPECT_EQ(r.exit_code, 137);
  EXPECT_EQ(Execute(Deploy("2026.02.05")).message, "hooks.deploy was killed by signal 9");
  EXPECT_EQ(CommandsRun().at(0).timeout, std::chrono::milliseconds(250));
}

TEST_F(ActionExecutorTest, CancelStopsTheRunningHookAndTheActionFails) {
  HostActionExecutor executor(settings_, &runner_);
  hook_ = [&](const CommandSpec& spec) -> Result<CommandResult> {
    EXPECT_TRUE(spec.cancel != nullptr);
    EXPECT_EQ(spec.cancel_grace, HostActionExecutor::kCancelGrace);
    executor.Cancel();  // the agent is stopping while the hook runs
    EXPECT_TRUE(spec.cancel && spec.cancel->cancelled());
    CommandResult r;
    r.cancelled = true;
    r.signaled = true;
    r.term_signal = 15;
    return r;
  };
  api::ActionResult r = executor.Execute(Deploy("2026.02.05"));
  EXPECT_FALSE(r.succeeded);
  EXPECT_EQ(r.message, "hooks.deploy was stopped: the agent is shutting down");
  EXPECT_EQ(ReadFile(dir_.File("state/DEPLOY_MARKER")), "2026.01.01\n");
}

TEST_F(ActionExecutorTest, DeployWithoutHookFailsWithoutRunningAnything) {
  settings_.hooks.deploy = "";
  api::ActionResult r = Execute(Deploy("2026.02.05"));
  EXPECT_FALSE(r.succeeded);
  EXPECT_EQ(r.message, "hooks.deploy is not configured on this drone");
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.deploy_version, "2026.01.01");
  EXPECT_TRUE(CommandsRun().empty());
}

TEST_F(ActionExecutorTest, HookThatCannotStartFails) {
  api::ActionResult r = Execute(Deploy("2026.02.05"));  // nothing queued: not found
  EXPECT_FALSE(r.succeeded);
  EXPECT_THAT(r.message, HasSubstr("hooks.deploy could not run"));
  EXPECT_EQ(r.exit_code, -1);
}

// A controller can be compromised: what it asks is checked as the Swarm's
// validation checks it, and nothing runs when a word could make a hook or
// emerge do more than deploy, sync or resolve.
TEST_F(ActionExecutorTest, RefusesWordsAHookOrEmergeCouldMisreadAndRunsNothing) {
  struct Case {
    api::Action action;
    std::string message;
  };
  api::Action config_root = Discover(kOldTree, "2026.01.01");
  config_root.emerge_args = "--update --config-root=/tmp/evil";
  api::Action sync_target = Discover(kOldTree, "2026.01.01");
  sync_target.targets = {"@world", "--sync"};
  api::Action path_target = Discover(kOldTree, "2026.01.01");
  path_target.targets = {"/tmp/evil.ebuild"};
  const Case cases[] = {
      {Deploy("-rf"),
       "refusing to deploy: version: \"-rf\" must start with a letter or digit (the deploy hook "
       "would take a leading '-' for an option)"},
      {Deploy("1.0; rm -rf /"),
       "refusing to deploy: version: \"1.0; rm -rf /\" may contain only letters, digits and . _ "
       "+ - (it is substituted into shell hooks)"},
      {Sync("--upload-pack=touch"),
       "refusing to sync: revision: \"--upload-pack=touch\" may contain only letters, digits and "
       ". _ + - (it is substituted into shell hooks)"},
      {Sync("-b001a8"),
       "refusing to sync: revision: \"-b001a8\" must start with a letter or digit (git would "
       "take a leading '-' for an option)"},
      {config_root,
       "refusing to discover: emergeArgs: \"--config-root=/tmp/evil\": --config-root is not an "
       "option emergeArgs may pass: only emerge's dependency-resolution options are allowed "
       "(docs/swarm.md lists them)"},
      {sync_target,
       "refusing to discover: targets[1]: \"--sync\" must not start with '-': emerge would read "
       "it as an option"},
      {path_target,
       "refusing to discover: targets[0]: \"/tmp/evil.ebuild\" is not a package atom or set: "
       "expected category/package (such as dev-lang/rust), optionally with an operator and "
       "version (>=dev-lang/rust-1.80), :slot, ::repository and [use]"},
  };
  for (const Case& c : cases) {
    api::ActionResult r = Execute(c.action);
    EXPECT_FALSE(r.succeeded);
    EXPECT_EQ(r.exit_code, -1);
    EXPECT_EQ(r.message, c.message);
    EXPECT_EQ(r.deploy_version, "2026.01.01");
    EXPECT_EQ(r.tree_revision, kOldTree);
  }
  EXPECT_TRUE(CommandsRun().empty());
  EXPECT_EQ(ReadFile(dir_.File("state/DEPLOY_MARKER")), "2026.01.01\n");
}

TEST_F(ActionExecutorTest, SyncSuccessNeedsTheWantedRevisionAfterwards) {
  hook_ = [this](const CommandSpec& spec) -> Result<CommandResult> {
    SetTree(kNewTree);
    return FakeCommandRunner::Exited(0, "");
  };
  api::ActionResult r = Execute(Sync(kNewTree));
  EXPECT_TRUE(r.succeeded) << r.message;
  EXPECT_EQ(r.tree_revision, kNewTree);
  EXPECT_EQ(r.deploy_version, "2026.01.01");
  EXPECT_THAT(CommandsRun().at(0).argv,
              ElementsAre("/bin/sh", "-c", std::string("sync-tree ") + kNewTree));
  EXPECT_EQ(CommandsRun().at(0).output_file, dir_.File("state/logs/s1.log"));
}

TEST_F(ActionExecutorTest, SyncExitingZeroAtAnotherRevisionFails) {
  runner_.PushExit(0, "");  // the tree stays at kOldTree
  api::ActionResult r = Execute(Sync(kNewTree));
  EXPECT_FALSE(r.succeeded);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.message,
            std::string("after hooks.sync the tree is at ") + kOldTree + ", wanted " + kNewTree);
  EXPECT_EQ(r.tree_revision, kOldTree);
}

TEST_F(ActionExecutorTest, SyncFailureReportsExitAndTail) {
  runner_.PushExit(128, "fatal: reference is not a tree: b001a8\n");
  api::ActionResult r = Execute(Sync(kNewTree));
  EXPECT_FALSE(r.succeeded);
  EXPECT_EQ(r.exit_code, 128);
  EXPECT_EQ(r.message, "hooks.sync exited 128");
  EXPECT_EQ(r.output_tail, "fatal: reference is not a tree: b001a8\n");
}

TEST_F(ActionExecutorTest, SyncWithUnreadableTreeSaysWhy) {
  runner_.PushExit(0, "");
  std::filesystem::remove(dir_.File("repo/metadata/timestamp.commit"));
  api::ActionResult r = Execute(Sync(kNewTree));
  EXPECT_FALSE(r.succeeded);
  EXPECT_THAT(r.message, HasSubstr("after hooks.sync the tree is at unknown ("));
  EXPECT_EQ(r.tree_revision, "");
}

TEST_F(ActionExecutorTest, SyncWithoutHookFails) {
  settings_.hooks.sync = "";
  EXPECT_EQ(Execute(Sync(kNewTree)).message, "hooks.sync is not configured on this drone");
}

TEST_F(ActionExecutorTest, DiscoverRunsEmergeAsAnArgvAndReturnsThePackages) {
  runner_.PushExit(0, kPretendOutput);
  api::ActionResult r = Execute(Discover(kOldTree, "2026.01.01"));
  ASSERT_TRUE(r.succeeded) << r.message << "\n" << r.output_tail;
  EXPECT_EQ(r.message, "resolved 2 packages");
  EXPECT_EQ(r.tree_revision, kOldTree);
  EXPECT_EQ(r.deploy_version, "2026.01.01");
  std::vector<std::string> names;
  for (const auto& p : r.packages) names.push_back(p.name);
  EXPECT_THAT(names,
              UnorderedElementsAre("dev-libs/openssl-3.3.3", "sys-apps/systemd-utils-6.22.0"));
  for (const auto& p : r.packages) {
    if (p.name == "dev-libs/openssl-3.3.3") {
      EXPECT_THAT(p.dependencies, ElementsAre("sys-apps/systemd-utils-6.22.0"));
    }
  }
  auto cmds = CommandsRun();
  ASSERT_EQ(cmds.size(), 1u);
  EXPECT_THAT(cmds[0].argv,
              ElementsAre("/usr/local/bin/emerge-wrapper", "--pretend", "--tree", "--color=n",
                          "--nospinner", "--update", "--deep", "--newuse", "@world"));
  EXPECT_EQ(cmds[0].timeout, std::chrono::hours(1));
  EXPECT_EQ(cmds[0].output_file, dir_.File("state/logs/q1.log"));
}

TEST_F(ActionExecutorTest, DiscoverRefusesAnotherTree) {
  api::ActionResult r = Execute(Discover(kNewTree, "2026.01.01"));
  EXPECT_FALSE(r.succeeded);
  EXPECT_EQ(r.message, std::string("refusing to discover: this drone's tree is at ") + kOldTree +
                           ", the action wants " + kNewTree);
  EXPECT_EQ(r.tree_revision, kOldTree);
  EXPECT_TRUE(CommandsRun().empty());
}

TEST_F(ActionExecutorTest, DiscoverRefusesAnotherDeploy) {
  std::filesystem::remove(dir_.File("state/DEPLOY_MARKER"));
  api::ActionResult r = Execute(Discover(kOldTree, "2026.02.05"));
  EXPECT_FALSE(r.succeeded);
  EXPECT_EQ(r.message,
            "refusing to discover: this drone runs deploy unknown (no deploy marker), the "
            "action wants 2026.02.05");
  EXPECT_TRUE(CommandsRun().empty());
}

TEST_F(ActionExecutorTest, DiscoverFailsWhenEmergeFails) {
  runner_.PushExit(1, "emerge: there are no ebuilds to satisfy \"dev-libs/nope\".\n");
  api::ActionResult r = Execute(Discover(kOldTree, "2026.01.01"));
  EXPECT_FALSE(r.succeeded);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.message, "emerge --pretend exited 1");
  EXPECT_THAT(r.output_tail, HasSubstr("no ebuilds to satisfy"));
  EXPECT_TRUE(r.packages.empty());
}

TEST_F(ActionExecutorTest, DiscoverFailsOnOutputItCannotRead) {
  runner_.PushExit(0, "something that is not a merge list\n");
  api::ActionResult r = Execute(Discover(kOldTree, "2026.01.01"));
  EXPECT_FALSE(r.succeeded);
  EXPECT_THAT(r.message, HasSubstr("cannot read emerge's output: "));
  EXPECT_EQ(r.output_tail, "something that is not a merge list\n");
}

TEST_F(ActionExecutorTest, DiscoverFailsWhenTheTreeMovesMeanwhile) {
  hook_ = [this](const CommandSpec&) -> Result<CommandResult> {
    SetTree(kNewTree);
    return FakeCommandRunner::Exited(0, kPretendOutput);
  };
  api::ActionResult r = Execute(Discover(kOldTree, "2026.01.01"));
  EXPECT_FALSE(r.succeeded);
  EXPECT_THAT(r.message, HasSubstr("the tree moved to"));
  EXPECT_TRUE(r.packages.empty());
}

TEST_F(ActionExecutorTest, UnknownTypeFails) {
  api::ActionResult r = Execute(MakeAction("x1", "build"));
  EXPECT_FALSE(r.succeeded);
  EXPECT_EQ(r.message, "unknown action type \"build\"");
  EXPECT_EQ(r.tree_revision, kOldTree);
}

TEST(ActionSettingsTest, ComeFromTheAgentConfig) {
  AgentConfig c;
  c.state_dir = "/s";
  c.portage.repo_dir = "/r";
  c.portage.emerge = "/e";
  c.hooks.deploy = "d {version}";
  ActionSettings s = ActionSettingsFor(c);
  EXPECT_EQ(s.state_dir, "/s");
  EXPECT_EQ(s.repo_dir, "/r");
  EXPECT_EQ(s.emerge, "/e");
  EXPECT_EQ(s.hooks.deploy, "d {version}");
  EXPECT_EQ(s.timeout, std::chrono::hours(1));
  EXPECT_EQ(ActionLogPath("/s", "abc"), "/s/logs/abc.log");
}

}  // namespace
}  // namespace swarm::agent

#include "node-agent/self_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/node-agent/fake_command_runner.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::TempDir;
using testing::FakeCommandRunner;
using ::testing::HasSubstr;

// statfs answering `used` percent for every directory.
StatFs DiskAt(int used) {
  return [used](const std::string&) -> Result<DiskStat> {
    return DiskStat{100, static_cast<uint64_t>(100 - used), static_cast<uint64_t>(100 - used)};
  };
}

class SelfCheckTest : public ::testing::Test {
 protected:
  SelfCheckTest() {
    settings_.hook = "/usr/bin/emerge --info";
    settings_.repo_dir = dir_.File("repo");
    settings_.disk_dirs = {"/var/cache/binpkgs", "/var/tmp/portage"};
    dir_.Write("repo/metadata/timestamp.commit", "abc123 1738751400\n");
    // git is "not installed": the revision comes from timestamp.commit.
    runner_.SetHandler([this](const CommandSpec& spec) -> Result<CommandResult> {
      if (spec.argv.at(0) == "git") return Unavailable("git: not found");
      return runner_.Next(spec);
    });
  }

  TempDir dir_;
  FakeCommandRunner runner_;
  SelfCheckSettings settings_;
};

TEST_F(SelfCheckTest, PassesWhenHookTreeAndDiskAreFine) {
  runner_.PushExit(0, "Portage 3.0.66 ...\n");
  SelfCheckOutcome o = RunSelfCheck(settings_, 90, runner_, DiskAt(40));
  EXPECT_TRUE(o.ok) << o.reason;
  EXPECT_EQ(o.reason, "");
  std::vector<CommandSpec> specs = runner_.specs();
  ASSERT_FALSE(specs.empty());
  EXPECT_EQ(specs[0].argv, (std::vector<std::string>{"/bin/sh", "-c", "/usr/bin/emerge --info"}));
  EXPECT_EQ(specs[0].timeout, std::chrono::minutes(10));
}

TEST_F(SelfCheckTest, EveryFailureIsInTheReason) {
  runner_.PushExit(1, "noise\n!!! Your current profile is invalid\n");
  std::remove(dir_.File("repo/metadata/timestamp.commit").c_str());
  SelfCheckOutcome o = RunSelfCheck(settings_, 90, runner_, DiskAt(93));
  EXPECT_FALSE(o.ok);
  EXPECT_THAT(o.reason, HasSubstr("hooks.selfCheck exited 1: !!! Your current profile is invalid"));
  EXPECT_THAT(o.reason, HasSubstr("tree revision unreadable: "));
  EXPECT_THAT(o.reason, HasSubstr("disk 93% >= 90%"));
  EXPECT_EQ(o.reason.find('\n'), std::string::npos);
}

TEST_F(SelfCheckTest, HookThatCannotRunFails) {
  runner_.Push(Unavailable("cannot run \"/bin/sh\": No such file"));
  SelfCheckOutcome o = RunSelfCheck(settings_, 90, runner_, DiskAt(10));
  EXPECT_FALSE(o.ok);
  EXPECT_THAT(o.reason, HasSubstr("hooks.selfCheck could not run"));
}

TEST_F(SelfCheckTest, WithoutAHookTheOtherChecksStillRun) {
  settings_.hook.clear();
  EXPECT_TRUE(RunSelfCheck(settings_, 90, runner_, DiskAt(10)).ok);
  SelfCheckOutcome full = RunSelfCheck(settings_, 90, runner_, DiskAt(95));
  EXPECT_FALSE(full.ok);
  EXPECT_EQ(full.reason, "disk 95% >= 90%");
}

TEST_F(SelfCheckTest, UnmeasurableDiskFails) {
  runner_.PushExit(0, "");
  SelfCheckOutcome o = RunSelfCheck(settings_, 90, runner_, [](const std::string& p) {
    return Result<DiskStat>(NotFound(p + ": no such directory"));
  });
  EXPECT_FALSE(o.ok);
  EXPECT_THAT(o.reason, HasSubstr("/var/cache/binpkgs: no such directory"));
}

TEST_F(SelfCheckTest, HostCheckerRunsOffTheCallingThreadOneAtATime) {
  runner_.PushExit(0, "");
  HostSelfChecker checker(settings_, &runner_, DiskAt(10));
  api::HealthPolicy policy;
  checker.Start(policy);
  checker.Start(policy);  // running, or ended and not taken: ignored (one reply is queued)
  std::optional<SelfCheckOutcome> o;
  // Poll, bounded, for the worker's outcome.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!o && std::chrono::steady_clock::now() < deadline) {
    o = checker.TakeOutcome();
    if (!o) std::this_thread::yield();
  }
  ASSERT_TRUE(o.has_value());
  EXPECT_TRUE(o->ok) << o->reason;
  EXPECT_FALSE(checker.TakeOutcome().has_value());
  EXPECT_EQ(runner_.calls().size(), 2u);  // the hook and git: one self-check
}

TEST(SelfCheckSettingsTest, ComeFromTheConfig) {
  AgentConfig c;
  c.hooks.self_check = "/opt/check";
  c.portage.repo_dir = "/repo";
  c.portage.pkg_dir = "/pkgs";
  c.portage.tmp_dir = "/tmp/portage";
  SelfCheckSettings s = SelfCheckSettingsFor(c);
  EXPECT_EQ(s.hook, "/opt/check");
  EXPECT_EQ(s.repo_dir, "/repo");
  EXPECT_EQ(s.disk_dirs, (std::vector<std::string>{"/pkgs", "/tmp/portage"}));
}

}  // namespace
}  // namespace swarm::agent

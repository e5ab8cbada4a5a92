#include "node-agent/build_executor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/node-agent/fake_command_runner.h"
#include "tests/support/known_digests.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::ReadFile;
using swarm::testing::TempDir;
using ::testing::ElementsAre;
using testing::FakeCommandRunner;
using ::testing::HasSubstr;

const api::BuildAssignment kOpensslAssignment{"7c1e09aa-b42", "dev-libs/openssl-3.3.3", 1};

constexpr char kOomOutput[] =
    ">>> Emerging (1 of 1) dev-libs/openssl-3.3.3::gentoo\n"
    "x86_64-pc-linux-gnu-g++: fatal error: Killed signal terminated program cc1plus\n"
    "compilation terminated.\n"
    " * ERROR: dev-libs/openssl-3.3.3::gentoo failed (compile phase):\n"
    " *   emake failed\n";

class BuildExecutorTest : public ::testing::Test {
 protected:
  BuildExecutorTest() {
    settings_.state_dir = dir_.File("state");
    settings_.pkg_dir = dir_.File("pkgdir");
    settings_.emerge = "/usr/local/bin/emerge-wrapper";
    // emerge "runs" for 42s and writes its output to the log, as the real
    // runner does, then answers from the queue.
    runner_.SetHandler([this](const CommandSpec& spec) -> Result<CommandResult> {
      clock_.Advance(std::chrono::seconds(42));
      Result<CommandResult> r = runner_.Next(spec);
      if (r.ok() && !spec.output_file.empty()) {
        std::ofstream(spec.output_file, std::ios::app) << r->output;
      }
      return r;
    });
  }

  FinishedBuild Execute(const api::BuildAssignment& a = kOpensslAssignment,
                        std::shared_ptr<CancelToken> cancel = std::make_shared<CancelToken>()) {
    HostBuildExecutor executor(settings_, &runner_, &clock_);
    return executor.Execute(a, std::move(cancel));
  }

  static CommandResult Killed(int sig, std::string output) {
    CommandResult r;
    r.signaled = true;
    r.term_signal = sig;
    r.output = std::move(output);
    return r;
  }

  TempDir dir_;
  FakeClock clock_;
  FakeCommandRunner runner_;
  BuildSettings settings_;
};

TEST_F(BuildExecutorTest, RunsEmergeWithPkgdirLogAndCancelToken) {
  dir_.Write("pkgdir/dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", "abc");
  runner_.PushExit(0, ">>> Completed (1 of 1) dev-libs/openssl-3.3.3::gentoo\n");
  auto token = std::make_shared<CancelToken>();
  Execute(kOpensslAssignment, token);
  ASSERT_EQ(runner_.specs().size(), 1u);
  const CommandSpec spec = runner_.specs()[0];
  EXPECT_THAT(spec.argv,
              ElementsAre("/usr/local/bin/emerge-wrapper", "--oneshot", "--usepkg", "--getbinpkg",
                          "--buildpkg", "--color=n", "--nospinner", "=dev-libs/openssl-3.3.3"));
  EXPECT_EQ(spec.env, (std::map<std::string, std::string>{{"PKGDIR", dir_.File("pkgdir")}}));
  EXPECT_EQ(spec.output_file, dir_.File("state/logs/7c1e09aa-b42.log"));
  EXPECT_EQ(spec.timeout, std::chrono::hours(48));
  EXPECT_EQ(spec.cancel, token);
  EXPECT_EQ(spec.max_captured_bytes, kBuildCaptureBytes);
}

// The stale-queue incident: an assignment from a queue computed against
// another tree is given back before emerge runs.
TEST_F(BuildExecutorTest, AssignmentStampedWithAnotherTreeIsReturnedUnbuilt) {
  settings_.repo_dir = dir_.File("repo");
  const std::string here(40, 'a'), queued(40, 'b');
  runner_.PushExit(0, here + "\n");  // git rev-parse HEAD
  api::BuildAssignment a = kOpensslAssignment;
  a.tree_revision = queued;
  FinishedBuild f = Execute(a);
  EXPECT_EQ(f.result.outcome, api::kBuildReturned);
  EXPECT_THAT(f.result.message, HasSubstr("tree is at " + here));
  EXPECT_THAT(f.result.message, HasSubstr("computed against " + queued));
  ASSERT_EQ(runner_.calls().size(), 1u) << "emerge must not run";
  EXPECT_EQ(runner_.calls()[0][0], "git");
}

TEST_F(BuildExecutorTest, AssignmentStampedWithThisTreeIsBuilt) {
  settings_.repo_dir = dir_.File("repo");
  const std::string here(40, 'a');
  dir_.Write("pkgdir/dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", "abc");
  runner_.PushExit(0, here + "\n");
  runner_.PushExit(0, ">>> Completed (1 of 1) dev-libs/openssl-3.3.3::gentoo\n");
  api::BuildAssignment a = kOpensslAssignment;
  a.tree_revision = here;
  EXPECT_EQ(Execute(a).result.outcome, api::kBuildSucceeded);
  EXPECT_EQ(runner_.calls().size(), 2u);
}

TEST_F(BuildExecutorTest, AssignmentOnATreeOfUnknownRevisionIsReturnedUnbuilt) {
  settings_.repo_dir = dir_.File("repo");  // no git answer, no timestamp.commit
  api::BuildAssignment a = kOpensslAssignment;
  a.tree_revision = std::string(40, 'b');
  FinishedBuild f = Execute(a);
  EXPECT_EQ(f.result.outcome, api::kBuildReturned);
  EXPECT_THAT(f.result.message, HasSubstr("tree revision is unknown"));
}

TEST_F(BuildExecutorTest, SuccessCarriesTheBinaryPackageAndTheDuration) {
  dir_.Write("pkgdir/dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", "abc");
  runner_.PushExit(0, ">>> Completed (1 of 1) dev-libs/openssl-3.3.3::gentoo\n");
  FinishedBuild f = Execute();
  EXPECT_FALSE(f.cancelled);
  EXPECT_EQ(f.result.assignment, "7c1e09aa-b42");
  EXPECT_EQ(f.result.package, "dev-libs/openssl-3.3.3");
  EXPECT_EQ(f.result.outcome, api::kBuildSucceeded);
  EXPECT_EQ(f.result.duration_ms, 42000);
  ASSERT_TRUE(f.result.binpkg.has_value());
  EXPECT_EQ(f.result.binpkg->path, "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  EXPECT_EQ(f.result.binpkg->size, 3);
  EXPECT_EQ(f.result.binpkg->sha256, "") << "digested at upload, off the build's slot";
  EXPECT_EQ(f.binpkg_path, dir_.File("pkgdir/dev-libs/openssl/openssl-3.3.3-1.gpkg.tar"));
  EXPECT_EQ(f.log_path, dir_.File("state/logs/7c1e09aa-b42.log"));
  EXPECT_EQ(ReadFile(f.log_path), ">>> Completed (1 of 1) dev-libs/openssl-3.3.3::gentoo\n");
}

TEST_F(BuildExecutorTest, ALogLeftByAnEarlierRunIsReplaced) {
  dir_.Write("state/logs/7c1e09aa-b42.log", "the run before the agent restarted\n");
  dir_.Write("pkgdir/dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", "abc");
  runner_.PushExit(0, "this run\n");
  FinishedBuild f = Execute();
  EXPECT_EQ(ReadFile(f.log_path), "this run\n");
}

TEST_F(BuildExecutorTest, SuccessWithoutABinaryPackageIsAPackageFailure) {
  runner_.PushExit(0, ">>> Completed (1 of 1) dev-libs/openssl-3.3.3::gentoo\n");
  FinishedBuild f = Execute();
  EXPECT_EQ(f.result.outcome, api::kBuildFailed);
  EXPECT_EQ(f.result.failure_class, api::kFailurePackage);
  EXPECT_EQ(f.result.message,
            "emerge succeeded but no binary package for =dev-libs/openssl-3.3.3 in PKGDIR");
  EXPECT_FALSE(f.result.binpkg.has_value());
  EXPECT_THAT(f.result.log_tail, HasSubstr(">>> Completed"));
  EXPECT_TRUE(f.binpkg_path.empty());
}

TEST_F(BuildExecutorTest, ZeroBytePackageIsReportedForTheControllerToJudge) {
  dir_.Write("pkgdir/dev-libs/openssl-3.3.3.tbz2", "");
  runner_.PushExit(0, "");
  FinishedBuild f = Execute();
  EXPECT_EQ(f.result.outcome, api::kBuildSucceeded);
  ASSERT_TRUE(f.result.binpkg.has_value());
  EXPECT_EQ(f.result.binpkg->size, 0);
  EXPECT_EQ(f.result.binpkg->path, "dev-libs/openssl-3.3.3.tbz2");
}

TEST_F(BuildExecutorTest, OomKilledCompileIsADroneResourcesFailure) {
  runner_.PushExit(1, kOomOutput);
  FinishedBuild f = Execute();
  EXPECT_EQ(f.result.outcome, api::kBuildFailed);
  EXPECT_EQ(f.result.failure_class, api::kFailureDroneResources);
  EXPECT_EQ(f.result.phase, "compile");
  EXPECT_THAT(f.result.message, HasSubstr("Killed signal terminated program cc1plus"));
  EXPECT_TRUE(f.result.oom_killed);
  EXPECT_THAT(f.result.log_tail, HasSubstr(" *   emake failed"));
  EXPECT_EQ(f.result.duration_ms, 42000);
  EXPECT_EQ(f.log_path, dir_.File("state/logs/7c1e09aa-b42.log"));
}

TEST_F(BuildExecutorTest, ResolverRefusalIsSystemic) {
  runner_.PushExit(1,
                   "Calculating dependencies... done!\n"
                   "!!! Multiple package instances within a single package slot have been pulled\n"
                   "!!! into the dependency graph, resulting in a slot conflict:\n");
  FinishedBuild f = Execute();
  EXPECT_EQ(f.result.failure_class, api::kFailureSystemic);
  EXPECT_FALSE(f.result.oom_killed);
}

TEST_F(BuildExecutorTest, BareSigkillIsDroneResourcesButNotAnOom) {
  runner_.Push(Killed(SIGKILL, ">>> Compiling source in /var/tmp/portage ...\n"));
  FinishedBuild f = Execute();
  EXPECT_EQ(f.result.failure_class, api::kFailureDroneResources);
  EXPECT_FALSE(f.result.oom_killed);
}

TEST_F(BuildExecutorTest, TimeoutIsAPackageFailure) {
  CommandResult timed_out = Killed(SIGKILL, ">>> Compiling source ...\n");
  timed_out.timed_out = true;
  runner_.Push(timed_out);
  FinishedBuild f = Execute();
  EXPECT_EQ(f.result.outcome, api::kBuildFailed);
  EXPECT_EQ(f.result.failure_class, api::kFailurePackage);
  EXPECT_EQ(f.result.message, "emerge timed out after 48h");
  EXPECT_FALSE(f.result.oom_killed);
}

TEST_F(BuildExecutorTest, CancelledBuildHasNothingToReport) {
  CommandResult stopped = Killed(SIGTERM, "");
  stopped.cancelled = true;
  runner_.Push(stopped);
  EXPECT_TRUE(Execute().cancelled);
}

TEST_F(BuildExecutorTest, MissingEmergeIsADroneResourcesFailure) {
  runner_.Push(Unavailable("cannot run \"/usr/local/bin/emerge-wrapper\": No such file"));
  FinishedBuild f = Execute();
  EXPECT_EQ(f.result.outcome, api::kBuildFailed);
  EXPECT_EQ(f.result.failure_class, api::kFailureDroneResources);
  EXPECT_EQ(f.result.message,
            "emerge could not run: cannot run \"/usr/local/bin/emerge-wrapper\": No such file");
  EXPECT_TRUE(f.log_path.empty());  // nothing wrote it
}

TEST_F(BuildExecutorTest, PackageThatIsNotACpvIsRefusedWithoutRunningEmerge) {
  FinishedBuild f = Execute(api::BuildAssignment{"a1", ">=dev-libs/openssl-3", 1});
  EXPECT_EQ(f.result.outcome, api::kBuildFailed);
  EXPECT_EQ(f.result.failure_class, api::kFailurePackage);
  EXPECT_THAT(f.result.message, HasSubstr("cannot build: "));
  EXPECT_THAT(f.result.message, HasSubstr(">=dev-libs/openssl-3"));
  EXPECT_TRUE(runner_.specs().empty());
}

TEST_F(BuildExecutorTest, UnwritableLogDirectoryStillBuilds) {
  dir_.Write("state", "a file where the directory should be");
  dir_.Write("pkgdir/dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", "abc");
  runner_.PushExit(0, "done\n");
  FinishedBuild f = Execute();
  EXPECT_EQ(f.result.outcome, api::kBuildSucceeded);
  EXPECT_TRUE(f.log_path.empty());
  EXPECT_TRUE(runner_.specs()[0].output_file.empty());
}

TEST(BuildSettingsTest, ComeFromTheConfig) {
  AgentConfig c;
  c.state_dir = "/var/lib/bs";
  c.portage.pkg_dir = "/srv/binpkgs";
  c.portage.emerge = "/opt/emerge";
  BuildSettings s = BuildSettingsFor(c);
  EXPECT_EQ(s.state_dir, "/var/lib/bs");
  EXPECT_EQ(s.pkg_dir, "/srv/binpkgs");
  EXPECT_EQ(s.emerge, "/opt/emerge");
}

}  // namespace
}  // namespace swarm::agent

#include "node-agent/probes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "base/command_runner.h"
#include "base/strings.h"
#include "tests/node-agent/fake_command_runner.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::TempDir;
using testing::FakeCommandRunner;
using ::testing::HasSubstr;

constexpr char kRev[] = "9fc7a49ad6496faebea1c1d1848199fb6278bcec";

constexpr char kMeminfo[] =
    "MemTotal:       32000000 kB\n"
    "MemFree:         1000000 kB\n"
    "MemAvailable:    8000000 kB\n"
    "Buffers:          100000 kB\n";

void WriteProc(const TempDir& dir) {
  dir.Write("proc/cpuinfo",
            "processor\t: 0\nmodel name\t: Test CPU\n\nprocessor\t: 1\nmodel name\t: Test "
            "CPU\n\nprocessor\t: 2\n\nprocessor\t: 3\n");
  dir.Write("proc/meminfo", kMeminfo);
  dir.Write("proc/loadavg", "3.20 2.10 1.05 2/345 6789\n");
}

// A statvfs stand-in: known directories have fixed counts, others are missing.
StatFs FakeStatFs(std::map<std::string, DiskStat> disks) {
  return [disks = std::move(disks)](const std::string& path) -> Result<DiskStat> {
    auto it = disks.find(path);
    if (it == disks.end()) return NotFound(path + ": no such directory");
    return it->second;
  };
}

TEST(ProbesTest, CpuCountCountsProcessorLines) {
  TempDir dir;
  WriteProc(dir);
  auto n = ReadCpuCount(dir.File("proc"));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 4);
}

TEST(ProbesTest, CpuCountWithoutFileIsNotFound) {
  TempDir dir;
  EXPECT_EQ(ReadCpuCount(dir.File("proc")).status().code(), StatusCode::kNotFound);
}

TEST(ProbesTest, MemoryUsesTotalAndAvailable) {
  TempDir dir;
  WriteProc(dir);
  auto m = ReadMemory(dir.File("proc"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->total_bytes, int64_t{32000000} * 1024);
  EXPECT_DOUBLE_EQ(m->used_percent, 75.0);
}

TEST(ProbesTest, MemoryWithoutMemAvailableUsesFreeBuffersCached) {
  TempDir dir;
  dir.Write("proc/meminfo", "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 50 kB\n");
  auto m = ReadMemory(dir.File("proc"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_DOUBLE_EQ(m->used_percent, 80.0);
}

TEST(ProbesTest, MalformedMeminfoIsInvalidArgument) {
  TempDir dir;
  dir.Write("proc/meminfo", "MemTotal: lots kB\nMemAvailable: 10 kB\n");
  auto m = ReadMemory(dir.File("proc"));
  ASSERT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("MemTotal"));

  dir.Write("proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: ? kB\n");
  EXPECT_THAT(ReadMemory(dir.File("proc")).status().message(), HasSubstr("MemAvailable"));

  dir.Write("proc/meminfo", "garbage\n");
  EXPECT_EQ(ReadMemory(dir.File("proc")).status().code(), StatusCode::kInvalidArgument);
}

TEST(ProbesTest, LoadIsTheFirstField) {
  TempDir dir;
  WriteProc(dir);
  auto load = ReadLoad1(dir.File("proc"));
  ASSERT_TRUE(load.ok());
  EXPECT_DOUBLE_EQ(*load, 3.2);
  dir.Write("proc/loadavg", "high\n");
  EXPECT_EQ(ReadLoad1(dir.File("proc")).status().code(), StatusCode::kInvalidArgument);
}

TEST(ProbesTest, DiskUsedPercentIsLikeDf) {
  // 100 blocks, 40 free of which 10 reserved for root: used 60 of 90 usable.
  EXPECT_NEAR(DiskUsedPercent({100, 40, 30}), 66.667, 0.001);
  EXPECT_EQ(DiskUsedPercent({0, 0, 0}), 0);
}

TEST(ProbesTest, DiskReportsTheFullerDirectoryAndSkipsMissingOnes) {
  std::vector<std::string> problems;
  double used =
      MaxDiskUsedPercent({"/pkg", "/gone", "/tmp"},
                         FakeStatFs({{"/pkg", {100, 50, 50}}, {"/tmp", {100, 5, 5}}}), &problems);
  EXPECT_DOUBLE_EQ(used, 95.0);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("/gone"));
}

TEST(ProbesTest, RealStatFsMeasuresExistingAndSkipsMissing) {
  TempDir dir;
  std::vector<std::string> problems;
  double used = MaxDiskUsedPercent({dir.path(), dir.File("missing")}, RealStatFs(), &problems);
  EXPECT_GE(used, 0.0);
  EXPECT_LE(used, 100.0);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("missing"));
}

TEST(ProbesTest, DeployVersionIsTheTrimmedMarker) {
  TempDir dir;
  dir.Write("state/DEPLOY_MARKER", "  2026.02.05\n");
  auto v = ReadDeployVersion(dir.File("state"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "2026.02.05");
}

TEST(ProbesTest, MissingDeployMarkerIsNotFound) {
  TempDir dir;
  EXPECT_EQ(ReadDeployVersion(dir.File("state")).status().code(), StatusCode::kNotFound);
}

TEST(ProbesTest, TreeRevisionFromGit) {
  TempDir dir;
  FakeCommandRunner runner;
  runner.PushExit(0, std::string(kRev) + "\n");
  auto rev = ReadTreeRevision(dir.File("repo"), runner);
  ASSERT_TRUE(rev.ok()) << rev.status().ToString();
  EXPECT_EQ(*rev, kRev);
  ASSERT_EQ(runner.calls().size(), 1u);
  EXPECT_EQ(runner.calls()[0],
            (std::vector<std::string>{"git", "-C", dir.File("repo"), "rev-parse", "HEAD"}));
}

TEST(ProbesTest, TreeRevisionFromGitsOwnFilesWithoutRunningGit) {
  TempDir dir;
  FakeCommandRunner runner;
  const std::string other(40, 'b');
  dir.Write("repo/.git/HEAD", std::string(kRev) + "\n");  // detached
  EXPECT_EQ(ReadTreeRevision(dir.File("repo"), runner).value(), kRev);
  dir.Write("repo/.git/HEAD", "ref: refs/heads/master\n");
  dir.Write("repo/.git/refs/heads/master", other + "\n");
  EXPECT_EQ(ReadTreeRevision(dir.File("repo"), runner).value(), other);
  dir.Write("repo/.git/HEAD", "ref: refs/heads/stable\n");
  dir.Write("repo/.git/packed-refs", "# pack-refs with: peeled fully-peeled sorted\n" + other +
                                         " refs/heads/master\n" + std::string(kRev) +
                                         " refs/heads/stable\n");
  EXPECT_EQ(ReadTreeRevision(dir.File("repo"), runner).value(), kRev);
  EXPECT_TRUE(runner.calls().empty());

  // What the files do not settle goes to git.
  dir.Write("repo/.git/HEAD", "ref: refs/heads/gone\n");
  runner.PushExit(0, other + "\n");
  EXPECT_EQ(ReadTreeRevision(dir.File("repo"), runner).value(), other);
  EXPECT_EQ(runner.calls().size(), 1u);
  EXPECT_EQ(ReadGitHead(dir.File("nowhere")), std::nullopt);
}

TEST(ProbesTest, TreeRevisionFromARealRepositoryMatchesGit) {
  TempDir dir;
  ProcessRunner runner;
  const std::string repo = dir.File("repo");
  CommandSpec init;
  init.argv = {"sh", "-c",
               "git init -q -b master \"$0\" && cd \"$0\" && git -c user.name=t -c "
               "user.email=t@localhost commit -q --allow-empty -m one && git pack-refs --all",
               repo};
  auto made = runner.Run(init);
  ASSERT_TRUE(made.ok() && made->ok()) << (made.ok() ? made->output : made.status().ToString());
  CommandSpec rev_parse;
  rev_parse.argv = {"git", "-C", repo, "rev-parse", "HEAD"};
  auto git = runner.Run(rev_parse);
  ASSERT_TRUE(git.ok() && git->ok());
  EXPECT_EQ(ReadGitHead(repo), Trim(git->output)) << "from packed-refs";
}

TEST(ProbesTest, TreeRevisionFallsBackToTimestampCommit) {
  TempDir dir;
  dir.Write("repo/metadata/timestamp.commit",
            std::string(kRev) + " 1738751400 Wed, 05 Feb 2026 10:30:00 +0000\n");
  FakeCommandRunner runner;
  runner.PushExit(128, "fatal: not a git repository\n");
  auto rev = ReadTreeRevision(dir.File("repo"), runner);
  ASSERT_TRUE(rev.ok()) << rev.status().ToString();
  EXPECT_EQ(*rev, kRev);

  // git missing altogether: the same fallback.
  rev = ReadTreeRevision(dir.File("repo"), runner);
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(*rev, kRev);

  // git printing something that is not a commit: the same fallback.
  runner.PushExit(0, "HEAD\n");
  rev = ReadTreeRevision(dir.File("repo"), runner);
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(*rev, kRev);
}

TEST(ProbesTest, TreeRevisionUnknownSaysWhatWasTried) {
  TempDir dir;
  FakeCommandRunner runner;
  runner.PushExit(128, "fatal: not a git repository\n");
  auto rev = ReadTreeRevision(dir.File("repo"), runner);
  ASSERT_EQ(rev.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(rev.status().message(), HasSubstr("not a git repository"));
  EXPECT_THAT(rev.status().message(), HasSubstr("timestamp.commit"));
}

TEST(ProberTest, ProbesEverything) {
  TempDir dir;
  WriteProc(dir);
  dir.Write("state/DEPLOY_MARKER", "2026.02.05\n");
  FakeCommandRunner runner;
  runner.PushExit(0, std::string(kRev) + "\n");
  ProbePaths paths{dir.File("proc"), dir.File("state"), dir.File("repo"), {"/pkg", "/tmp"}};
  Prober prober(paths, &runner, FakeStatFs({{"/pkg", {100, 37, 37}}, {"/tmp", {100, 90, 90}}}));

  ProbeResult r = prober.Probe();
  EXPECT_TRUE(r.problems.empty()) << r.problems.front();
  EXPECT_EQ(r.resources.cores, 4);
  EXPECT_EQ(r.resources.memory_bytes, int64_t{32000000} * 1024);
  EXPECT_DOUBLE_EQ(r.resources.memory_used_percent, 75.0);
  EXPECT_DOUBLE_EQ(r.resources.disk_used_percent, 63.0);
  EXPECT_DOUBLE_EQ(r.resources.load1, 3.2);
  EXPECT_EQ(r.deploy_version, "2026.02.05");
  EXPECT_EQ(r.tree_revision, kRev);
}

TEST(ProberTest, FailuresAreReportedNotFatal) {
  TempDir dir;  // an empty procRoot, no marker, no repo, no disks
  FakeCommandRunner runner;
  ProbePaths paths{dir.File("proc"), dir.File("state"), dir.File("repo"), {"/pkg"}};
  Prober prober(paths, &runner, FakeStatFs({}));

  ProbeResult r = prober.Probe();
  EXPECT_GT(r.resources.cores, 0);  // the runtime's count stands in
  EXPECT_EQ(r.resources.memory_bytes, 0);
  EXPECT_EQ(r.deploy_version, "");  // the controller reads this as needs-deploy
  EXPECT_EQ(r.tree_revision, "");
  auto has = [&](const std::string& prefix) {
    return std::any_of(r.problems.begin(), r.problems.end(),
                       [&](const std::string& p) { return p.rfind(prefix, 0) == 0; });
  };
  EXPECT_TRUE(has("cores:"));
  EXPECT_TRUE(has("memory:"));
  EXPECT_TRUE(has("load:"));
  EXPECT_TRUE(has("disk:"));
  EXPECT_TRUE(has("deploy marker:"));
  EXPECT_TRUE(has("tree revision:"));

  // The same failures read the same way, so the agent logs them once.
  EXPECT_EQ(prober.Probe().problems, r.problems);
}

}  // namespace
}  // namespace swarm::agent

#include "base/command_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/processes.h"
#include "tests/support/temp_dir.h"

namespace swarm {
namespace {

using ::swarm::testing::IsDead;
using ::swarm::testing::ReadFile;
using ::swarm::testing::TempDir;

CommandResult MustRun(const CommandSpec& spec) {
  ProcessRunner runner;
  auto r = runner.Run(spec);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : CommandResult{};
}

TEST(ProcessRunnerTest, ExitCodes) {
  CommandResult ok = MustRun(ShellCommand("exit 0"));
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_TRUE(ok.ok());

  CommandResult failed = MustRun(ShellCommand("exit 3"));
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_FALSE(failed.signaled);
  EXPECT_FALSE(failed.timed_out);
  EXPECT_FALSE(failed.ok());
}

TEST(ProcessRunnerTest, ArgvIsPassedWithoutAShell) {
  CommandSpec spec;
  spec.argv = {"printf", "%s|", "a b", "$HOME", "*"};
  CommandResult r = MustRun(spec);
  EXPECT_EQ(r.output, "a b|$HOME|*|");
}

TEST(ProcessRunnerTest, CapturesStdoutAndStderrInterleaved) {
  CommandResult r = MustRun(ShellCommand("echo one; echo two >&2; echo three"));
  EXPECT_EQ(r.output, "one\ntwo\nthree\n");
}

TEST(ProcessRunnerTest, StdinIsEmpty) {
  CommandResult r = MustRun(ShellCommand("cat; echo done"));
  EXPECT_EQ(r.output, "done\n");
}

TEST(ProcessRunnerTest, EnvironmentOverridesAndInherits) {
  setenv("SWARM_RUNNER_TEST_INHERITED", "from-parent", 1);
  setenv("SWARM_RUNNER_TEST_OVERRIDDEN", "old", 1);
  CommandSpec spec = ShellCommand(
      "echo \"$SWARM_RUNNER_TEST_INHERITED $SWARM_RUNNER_TEST_OVERRIDDEN $SWARM_RUNNER_TEST_NEW\"");
  spec.env = {{"SWARM_RUNNER_TEST_OVERRIDDEN", "new"}, {"SWARM_RUNNER_TEST_NEW", "added"}};
  CommandResult r = MustRun(spec);
  EXPECT_EQ(r.output, "from-parent new added\n");
  unsetenv("SWARM_RUNNER_TEST_INHERITED");
  unsetenv("SWARM_RUNNER_TEST_OVERRIDDEN");
}

TEST(ProcessRunnerTest, PathOverrideFindsTools) {
  TempDir dir;
  std::string tool = dir.Write("bin/swarm-test-tool", "#!/bin/sh\necho tool ran \"$1\"\n");
  ASSERT_EQ(chmod(tool.c_str(), 0755), 0);
  CommandSpec spec;
  spec.argv = {"swarm-test-tool", "x"};
  spec.env = {{"PATH", dir.File("bin") + ":/usr/bin:/bin"}};
  CommandResult r = MustRun(spec);
  EXPECT_EQ(r.output, "tool ran x\n");
}

TEST(ProcessRunnerTest, WorkingDirectory) {
  TempDir dir;
  dir.Write("marker", "here");
  CommandSpec spec = ShellCommand("cat marker");
  spec.cwd = dir.path();
  CommandResult r = MustRun(spec);
  EXPECT_EQ(r.output, "here");
}

TEST(ProcessRunnerTest, MissingWorkingDirectoryIsUnavailable) {
  CommandSpec spec = ShellCommand("true");
  spec.cwd = "/nonexistent/swarm-test-dir";
  ProcessRunner runner;
  auto r = runner.Run(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("/nonexistent/swarm-test-dir"), std::string::npos);
}

TEST(ProcessRunnerTest, NotFoundIsUnavailable) {
  CommandSpec spec;
  spec.argv = {"swarm-no-such-program-xyz", "arg"};
  ProcessRunner runner;
  auto r = runner.Run(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("swarm-no-such-program-xyz"), std::string::npos)
      << r.status().ToString();

  spec.argv = {"/nonexistent/bin/tool"};
  r = runner.Run(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("/nonexistent/bin/tool"), std::string::npos);
}

TEST(ProcessRunnerTest, NotExecutableIsUnavailable) {
  TempDir dir;
  std::string script = dir.Write("script.sh", "#!/bin/sh\necho hi\n");
  ASSERT_EQ(chmod(script.c_str(), 0644), 0);
  CommandSpec spec;
  spec.argv = {script};
  ProcessRunner runner;
  auto r = runner.Run(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("script.sh"), std::string::npos);
}

TEST(ProcessRunnerTest, EmptyArgvIsInvalid) {
  ProcessRunner runner;
  auto r = runner.Run(CommandSpec{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(ProcessRunnerTest, TimeoutKillsTheProcessGroup) {
  TempDir dir;
  std::string pid_file = dir.File("grandchild.pid");
  // The grandchild also sleeps: the kill must reach the whole group.
  CommandSpec spec = ShellCommand("sleep 30 & echo $! > " + pid_file + "; echo started; wait");
  spec.timeout = std::chrono::milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  CommandResult r = MustRun(spec);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(10));
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.term_signal, SIGKILL);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.output, "started\n");

  pid_t grandchild = std::stoi(ReadFile(pid_file));
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = IsDead(grandchild);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_TRUE(gone) << "grandchild " << grandchild << " survived the timeout";
}

TEST(ProcessRunnerTest, ExitWithBackgroundChildHoldingOutputDoesNotHang) {
  TempDir dir;
  std::string pid_file = dir.File("background.pid");
  CommandSpec spec = ShellCommand("sleep 30 & echo $! > " + pid_file + "; echo parent done");
  spec.timeout = std::chrono::seconds(20);
  auto start = std::chrono::steady_clock::now();
  CommandResult r = MustRun(spec);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, "parent done\n");
  std::string pid = ReadFile(pid_file);
  if (!pid.empty()) kill(std::stoi(pid), SIGKILL);
}

TEST(ProcessRunnerTest, Signaled) {
  CommandResult r = MustRun(ShellCommand("kill -TERM $$"));
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.term_signal, SIGTERM);
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(r.ok());
}

TEST(ProcessRunnerTest, CpuTimeCountsTheDescendantsItWaitedFor) {
  ProcessRunner runner;
  // The CPU is burnt by a grandchild the shell waits for, as emerge waits
  // for the ebuild processes that compile.
  const auto start = std::chrono::steady_clock::now();
  auto busy = runner.Run(ShellCommand(
      "(while :; do :; done) & pid=$!; sleep 0.3; kill $pid; wait $pid; exit 0"));
  const auto wall = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(busy.ok()) << busy.status().message();
  EXPECT_TRUE(busy->ok());
  EXPECT_GT(busy->cpu_time.count(), 0);
  // One busy process: no more CPU than the time it ran.
  EXPECT_LE(busy->cpu_time, std::chrono::duration_cast<std::chrono::milliseconds>(wall) +
                                std::chrono::milliseconds(10));

  auto idle = runner.Run(ShellCommand("sleep 0.3"));
  ASSERT_TRUE(idle.ok());
  EXPECT_LT(idle->cpu_time, busy->cpu_time);
}

TEST(ProcessRunnerTest, OutputFileIsAppended) {
  TempDir dir;
  std::string log = dir.Write("build.log", "earlier\n");
  CommandSpec spec = ShellCommand("echo out; echo err >&2");
  spec.output_file = log;
  CommandResult r = MustRun(spec);
  EXPECT_EQ(r.output, "out\nerr\n");
  EXPECT_EQ(ReadFile(log), "earlier\nout\nerr\n");

  std::string fresh = dir.File("fresh.log");
  spec.output_file = fresh;
  MustRun(spec);
  EXPECT_EQ(ReadFile(fresh), "out\nerr\n");
}

TEST(ProcessRunnerTest, UnwritableOutputFileIsUnavailable) {
  CommandSpec spec = ShellCommand("true");
  spec.output_file = "/nonexistent/dir/build.log";
  ProcessRunner runner;
  auto r = runner.Run(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
}

TEST(ProcessRunnerTest, OutputFileThatIsALinkStartsNothing) {
  TempDir dir;
  const std::string target = dir.Write("target", "kept\n");
  ASSERT_EQ(symlink(target.c_str(), dir.File("build.log").c_str()), 0);
  CommandSpec spec = ShellCommand("touch " + dir.File("ran") + "; echo written");
  spec.output_file = dir.File("build.log");
  ProcessRunner runner;
  auto r = runner.Run(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message(), "cannot open the output file: \"" + dir.File("build.log") +
                                      "\" is a symbolic link; refusing to follow it");
  EXPECT_EQ(ReadFile(target), "kept\n");
  EXPECT_FALSE(std::filesystem::exists(dir.File("ran")));
}

TEST(ProcessRunnerTest, TruncationKeepsTheTail) {
  TempDir dir;
  std::string log = dir.File("full.log");
  CommandSpec spec = ShellCommand("i=0; while [ $i -lt 20000 ]; do echo line$i; i=$((i+1)); done");
  spec.max_captured_bytes = 100;
  spec.output_file = log;
  CommandResult r = MustRun(spec);
  ASSERT_EQ(r.output.size(), 100u);
  EXPECT_EQ(r.output.substr(r.output.size() - 10), "line19999\n");
  // The file keeps everything.
  std::string full = ReadFile(log);
  EXPECT_EQ(full.substr(0, 6), "line0\n");
  EXPECT_EQ(full.substr(full.size() - 100), r.output);
}

TEST(ProcessRunnerTest, LargeOutputIsCapturedCompletely) {
  CommandResult r = MustRun(ShellCommand("head -c 3000000 /dev/zero"));
  EXPECT_EQ(r.output.size(), 1u << 20);
}

TEST(ProcessRunnerTest, ConcurrentRunsFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> outputs(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([i, &outputs] {
      ProcessRunner runner;
      auto r = runner.Run(ShellCommand("echo " + std::to_string(i)));
      if (r.ok()) outputs[i] = r->output;
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(outputs[i], std::to_string(i) + "\n");
}

// Waits (polling, bounded) until `path` holds a line, as a started command
// writes its pid: a cancel must reach a command that runs.
std::string AwaitFile(const std::string& path) {
  for (int i = 0; i < 400; ++i) {
    std::string content = ReadFile(path);
    if (!content.empty() && content.back() == '\n') return content;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return "";
}

bool AwaitDead(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    if (IsDead(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

TEST(ProcessRunnerCancelTest, CancelTerminatesTheProcessGroup) {
  TempDir dir;
  std::string pid_file = dir.File("grandchild.pid");
  CommandSpec spec = ShellCommand("sleep 30 & echo $! > " + pid_file + "; echo started; wait");
  auto token = std::make_shared<CancelToken>();
  spec.cancel = token;
  spec.timeout = std::chrono::seconds(60);
  CommandResult r;
  std::thread run([&] { r = MustRun(spec); });
  std::string pid = AwaitFile(pid_file);
  ASSERT_FALSE(pid.empty()) << "the command did not start";
  auto cancelled_at = std::chrono::steady_clock::now();
  token->Cancel();
  run.join();
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled_at, std::chrono::seconds(5));
  EXPECT_TRUE(r.cancelled);
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.term_signal, SIGTERM);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.output, "started\n");
  EXPECT_TRUE(AwaitDead(std::stoi(pid))) << "grandchild " << pid << " survived the cancel";
}

TEST(ProcessRunnerCancelTest, CommandIgnoringSigtermIsKilledAfterTheGrace) {
  TempDir dir;
  std::string ready = dir.File("ready");
  // The shell ignores SIGTERM and keeps starting sleeps that die of it.
  CommandSpec spec =
      ShellCommand("trap '' TERM; echo $$ > " + ready + "; while :; do sleep 1; done");
  auto token = std::make_shared<CancelToken>();
  spec.cancel = token;
  spec.cancel_grace = std::chrono::milliseconds(200);
  CommandResult r;
  std::thread run([&] { r = MustRun(spec); });
  ASSERT_FALSE(AwaitFile(ready).empty());
  token->Cancel();
  run.join();
  EXPECT_TRUE(r.cancelled);
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.term_signal, SIGKILL);
}

TEST(ProcessRunnerCancelTest, CommandThatExitsCleanlyOnSigtermIsStillCancelled) {
  TempDir dir;
  std::string ready = dir.File("ready");
  CommandSpec spec = ShellCommand("trap 'echo stopping; exit 0' TERM; echo $$ > " + ready +
                                  "; while :; do sleep 1; done");
  auto token = std::make_shared<CancelToken>();
  spec.cancel = token;
  CommandResult r;
  std::thread run([&] { r = MustRun(spec); });
  ASSERT_FALSE(AwaitFile(ready).empty());
  token->Cancel();
  run.join();
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_FALSE(r.ok()) << "a cancelled command never counts as a success";
  // The shell may also report its sleep's death ("Terminated").
  EXPECT_NE(r.output.find("stopping\n"), std::string::npos) << r.output;
}

TEST(ProcessRunnerCancelTest, TokenCancelledBeforehandStartsNothing) {
  TempDir dir;
  std::string marker = dir.File("ran");
  CommandSpec spec = ShellCommand("touch " + marker);
  auto token = std::make_shared<CancelToken>();
  token->Cancel();
  spec.cancel = token;
  CommandResult r = MustRun(spec);
  EXPECT_TRUE(r.cancelled);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(ReadFile(marker).empty());
  EXPECT_FALSE(std::ifstream(marker).good());
}

TEST(ProcessRunnerCancelTest, UncancelledTokenChangesNothing) {
  CommandSpec spec = ShellCommand("echo fine");
  spec.cancel = std::make_shared<CancelToken>();
  CommandResult r = MustRun(spec);
  EXPECT_TRUE(r.ok());
  EXPECT_FALSE(r.cancelled);
  EXPECT_EQ(r.output, "fine\n");
}

TEST(CancelTokenTest, WaitForReturnsOnCancel) {
  CancelToken token;
  EXPECT_FALSE(token.WaitFor(std::chrono::milliseconds(1)));
  std::thread canceller([&] { token.Cancel(); });
  EXPECT_TRUE(token.WaitFor(std::chrono::hours(1)));
  canceller.join();
  EXPECT_TRUE(token.cancelled());
}

TEST(ShellCommandTest, UsesBinSh) {
  CommandSpec spec = ShellCommand("echo hi");
  EXPECT_EQ(spec.argv, (std::vector<std::string>{"/bin/sh", "-c", "echo hi"}));
}

TEST(TailTest, LastLines) {
  EXPECT_EQ(Tail("a\nb\nc\n", 2), "b\nc\n");
  EXPECT_EQ(Tail("a\nb\nc", 2), "b\nc");
  EXPECT_EQ(Tail("a\nb\nc\n", 1), "c\n");
  EXPECT_EQ(Tail("a\nb\nc\n", 3), "a\nb\nc\n");
  EXPECT_EQ(Tail("a\nb\nc\n", 10), "a\nb\nc\n");
  EXPECT_EQ(Tail("a\n\nb", 2), "\nb");
  EXPECT_EQ(Tail("only", 1), "only");
  EXPECT_EQ(Tail("a\nb", 0), "");
  EXPECT_EQ(Tail("", 3), "");
}

}  // namespace
}  // namespace swarm

// A command run by ProcessRunner dies with whatever ran it: the guard
// (base/process_guard.h) kills the command's whole process group when the
// runner's process dies, and the command dies when its guard does.

#include "base/process_guard.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "base/command_runner.h"
#include "base/strings.h"
#include "tests/support/processes.h"
#include "tests/support/temp_dir.h"

namespace swarm {
namespace {

using ::swarm::testing::IsDead;
using ::swarm::testing::ReadFile;
using ::swarm::testing::TempDir;

// Polls `condition` every 25 ms for up to a minute: processes that were
// killed are reaped by whoever inherits them, in their own time.
bool Eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 2400; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return condition();
}

// The pid a command wrote to `path`, once it has.
pid_t PidIn(const std::string& path) {
  std::string text;
  EXPECT_TRUE(Eventually([&] {
    text = Trim(ReadFile(path));
    return !text.empty();
  })) << path;
  return text.empty() ? 0 : std::stoi(text);
}

// The command: a shell that starts a grandchild in the background and waits;
// each writes its pid (the writes are whole, the files renamed in place).
std::string Tree(const TempDir& dir) {
  return "sleep 1000 & echo $! > " + dir.File("grandchild.tmp") + "; mv " +
         dir.File("grandchild.tmp") + " " + dir.File("grandchild") + "; echo $$ > " +
         dir.File("child.tmp") + "; mv " + dir.File("child.tmp") + " " + dir.File("child") +
         "; wait";
}

TEST(ProcessGuardTest, OnStartGivesTheGroupTheCommandRunsIn) {
  TempDir dir;
  CommandSpec spec = ShellCommand("echo $$; cut -d' ' -f5 /proc/$$/stat");
  pid_t group = 0;
  spec.on_start = [&](pid_t g) { group = g; };
  ProcessRunner runner;
  auto r = runner.Run(spec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string out = r->output;
  const pid_t command = std::stoi(out.substr(0, out.find('\n')));
  const pid_t command_group = std::stoi(out.substr(out.find('\n') + 1));
  EXPECT_NE(group, 0);
  EXPECT_EQ(command_group, group);
  EXPECT_NE(command, group) << "the guard leads the group, not the command";
}

TEST(ProcessGuardTest, TheWholeGroupDiesWithTheProcessThatRanIt) {
  TempDir dir;
  // The "agent": a process that runs the command and is then killed with
  // SIGKILL, so that nothing of it gets a chance to clean up.
  const pid_t agent = fork();
  ASSERT_GE(agent, 0);
  if (agent == 0) {
    ProcessRunner runner;
    CommandSpec spec = ShellCommand(Tree(dir));
    spec.on_start = [&](pid_t group) {
      const std::string tmp = dir.Write("group.tmp", std::to_string(group));
      rename(tmp.c_str(), dir.File("group").c_str());
    };
    runner.Run(spec);
    _exit(0);
  }
  const pid_t group = PidIn(dir.File("group"));
  const pid_t child = PidIn(dir.File("child"));
  const pid_t grandchild = PidIn(dir.File("grandchild"));
  ASSERT_FALSE(IsDead(child));
  ASSERT_FALSE(IsDead(grandchild));

  kill(agent, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(agent, &status, 0), agent);
  EXPECT_TRUE(Eventually([&] { return IsDead(group); })) << "guard " << group;
  EXPECT_TRUE(Eventually([&] { return IsDead(child); })) << "command " << child;
  EXPECT_TRUE(Eventually([&] { return IsDead(grandchild); })) << "grandchild " << grandchild;
}

TEST(ProcessGuardTest, TheCommandDiesWithAGuardKilledOnItsOwn) {
  TempDir dir;
  std::atomic<pid_t> group{0};
  CommandSpec spec =
      ShellCommand("echo $$ > " + dir.File("child.tmp") + "; mv " + dir.File("child.tmp") + " " +
                   dir.File("child") + "; exec sleep 1000");
  spec.on_start = [&](pid_t g) { group = g; };
  Result<CommandResult> r = Unavailable("not run");
  std::thread run([&] { r = ProcessRunner().Run(spec); });
  const pid_t child = PidIn(dir.File("child"));
  ASSERT_NE(group, 0);
  kill(group, SIGKILL);  // the guard only: its pid, not its group
  run.join();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->signaled);
  EXPECT_EQ(r->term_signal, SIGKILL);
  EXPECT_TRUE(Eventually([&] { return IsDead(child); })) << "command " << child;
}

TEST(ProcessGuardTest, TheRunnerSeesTheCommandsOwnEnd) {
  ProcessRunner runner;
  auto exited = runner.Run(ShellCommand("exit 42"));
  ASSERT_TRUE(exited.ok());
  EXPECT_FALSE(exited->signaled);
  EXPECT_EQ(exited->exit_code, 42);
  auto killed = runner.Run(ShellCommand("kill -USR1 $$"));
  ASSERT_TRUE(killed.ok());
  EXPECT_TRUE(killed->signaled);
  EXPECT_EQ(killed->term_signal, SIGUSR1);
  auto segv = runner.Run(ShellCommand("kill -SEGV $$"));
  ASSERT_TRUE(segv.ok());
  EXPECT_TRUE(segv->signaled);
  EXPECT_EQ(segv->term_signal, SIGSEGV);
}

TEST(ProcessGuardTest, DescribesEachStageOfAFailedStart) {
  EXPECT_EQ(DescribeChildFailure({ChildFailure::kExec, ENOENT}, ""), "No such file or directory");
  EXPECT_EQ(DescribeChildFailure({ChildFailure::kChdir, ENOENT}, "/nope"),
            "cannot enter directory \"/nope\": No such file or directory");
  EXPECT_EQ(DescribeChildFailure({ChildFailure::kFork, EAGAIN}, ""),
            "fork: Resource temporarily unavailable");
  EXPECT_EQ(DescribeChildFailure({ChildFailure::kGuard, EINVAL}, ""),
            "tying it to this process failed (prctl): Invalid argument");
  EXPECT_EQ(DescribeChildFailure({ChildFailure::kOutput, EMFILE}, ""),
            "setting up its output failed: Too many open files");
}

}  // namespace
}  // namespace swarm

#include "node-agent/running_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "base/strings.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::ReadFile;
using swarm::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kBoot[] = "f63a445d-5ca0-40ef-b107-9171ffe678e1";
const std::string kBootLine = std::string("boot ") + kBoot + "\n";

// A /proc/<pid>/stat line as the kernel writes it, with a command name that
// holds a space and a ')'.
std::string StatLine(pid_t pid, pid_t group, uint64_t start_time) {
  return std::to_string(pid) + " (emerge ) x) S 1 " + std::to_string(group) + " " +
         std::to_string(group) + " 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 " +
         std::to_string(start_time) + " 10000 100 18446744073709551615 0 0 0 0 0\n";
}

// A procRoot of fake processes, and the groups "killed" in it.
class RunningCommandsTest : public ::testing::Test {
 protected:
  RunningCommandsTest() {
    dir_.Write("state/.keep", "");
    dir_.Write("proc/sys/kernel/random/boot_id", std::string(kBoot) + "\n");
  }

  void Process(pid_t pid, pid_t group, uint64_t start_time) {
    dir_.Write("proc/" + std::to_string(pid) + "/stat", StatLine(pid, group, start_time));
  }
  RunningCommands Record() {
    return RunningCommands(dir_.File("state"), dir_.File("proc"), [this](pid_t group, int sig) {
      killed_.push_back({group, sig});
      return 0;
    });
  }
  std::string RecordFile() { return ReadFile(dir_.File("state/RUNNING_COMMANDS")); }

  TempDir dir_;
  std::vector<std::pair<pid_t, int>> killed_;
};

TEST(RunningCommandsFormatTest, LinesRoundTripAndBadOnesAreNamed) {
  const RunningCommandsRecord record{
      kBoot,
      {{4242, 123456, 4242, "/usr/bin/emerge --oneshot =dev-libs/openssl-3.3.3"},
       {5151, 7, 5151, "/bin/sh -c git -C /repo fetch"}}};
  const std::string text = FormatRunningCommands(record);
  EXPECT_EQ(text, kBootLine +
                      "4242 123456 4242 /usr/bin/emerge --oneshot =dev-libs/openssl-3.3.3\n"
                      "5151 7 5151 /bin/sh -c git -C /repo fetch\n");
  std::vector<std::string> problems;
  EXPECT_EQ(ParseRunningCommands(text, &problems), record);
  EXPECT_THAT(problems, IsEmpty());

  auto parsed =
      ParseRunningCommands("12 x 12 sleep\n\n1 5 1 init\n-3 5 -3 x\n77 9 77 ok\n", &problems);
  EXPECT_EQ(parsed.boot_id, "");
  EXPECT_THAT(parsed.commands, ElementsAre(RunningCommand{77, 9, 77, "ok"}));
  EXPECT_THAT(problems,
              ElementsAre("line 1: expected \"<pid> <start time> <group> <command>\", got "
                          "\"12 x 12 sleep\"",
                          HasSubstr("line 3: "), HasSubstr("line 4: ")));
}

TEST_F(RunningCommandsTest, ReadsStartTimeAndGroupFromProcRoot) {
  Process(4242, 4240, 987654321);
  auto stat = ReadProcessStat(dir_.File("proc"), 4242);
  ASSERT_TRUE(stat.ok()) << stat.status().ToString();
  EXPECT_EQ(stat->group, 4240);
  EXPECT_EQ(stat->start_time, 987654321u);
  EXPECT_EQ(ReadProcessStat(dir_.File("proc"), 5).status().code(), StatusCode::kNotFound);
  dir_.Write("proc/6/stat", "6 (x) S 1 6\n");
  EXPECT_EQ(ReadProcessStat(dir_.File("proc"), 6).status().message(),
            dir_.File("proc/6/stat") + ": not a process stat line");
  auto self = ReadProcessStat("/proc", getpid());
  ASSERT_TRUE(self.ok()) << self.status().ToString();
  EXPECT_EQ(self->group, getpgrp());
}

TEST_F(RunningCommandsTest, AddAndRemoveRewriteTheRecord) {
  Process(4242, 4242, 1000);
  Process(5151, 5151, 2000);
  RunningCommands record = Record();
  record.Add(4242, {"/usr/bin/emerge", "--oneshot", "=dev-libs/openssl-3.3.3"});
  record.Add(5151, {"/bin/sh", "-c", "git fetch &&\ngit switch"});
  record.Add(6000, {"git", "rev-parse", "HEAD"});  // ended before it could be recorded
  EXPECT_EQ(RecordFile(), kBootLine +
                              "4242 1000 4242 /usr/bin/emerge --oneshot =dev-libs/openssl-3.3.3\n"
                              "5151 2000 5151 /bin/sh -c git fetch && git switch\n");
  record.Remove(4242);
  EXPECT_EQ(RecordFile(), kBootLine + "5151 2000 5151 /bin/sh -c git fetch && git switch\n");
  record.Remove(5151);
  EXPECT_EQ(RecordFile(), kBootLine);
}

TEST_F(RunningCommandsTest, KillsOnlyGroupsWhoseLeaderIsTheRecordedProcess) {
  Process(100, 100, 5000);  // still running: killed
  Process(200, 200, 9999);  // pid 200 now belongs to a process started later
  Process(300, 310, 7000);  // no longer leads the recorded group
  dir_.Write("state/RUNNING_COMMANDS",
             kBootLine +
                 "100 5000 100 /usr/bin/emerge --oneshot =dev-libs/openssl-3.3.3\n"
                 "200 6000 200 /bin/sh -c deploy 2026.02.05\n"
                 "300 7000 300 sleep\n"
                 "400 8000 400 ended long ago\n"
                 "not a line\n");
  RunningCommands record = Record();
  std::vector<RunningCommand> killed = record.KillLeftovers();
  EXPECT_THAT(killed, ElementsAre(RunningCommand{
                          100, 5000, 100, "/usr/bin/emerge --oneshot =dev-libs/openssl-3.3.3"}));
  EXPECT_THAT(killed_, ElementsAre(std::pair<pid_t, int>{100, SIGKILL}));
  EXPECT_EQ(RecordFile(), kBootLine);
}

// Start times count from boot: after a reboot the same pid with the same
// start time is another process.
TEST_F(RunningCommandsTest, ARecordFromAnotherBootKillsNothing) {
  Process(100, 100, 5000);
  for (const std::string boot_line :
       {"boot 0b1d7c3e-0000-4000-8000-000000000000\n", "", "boot \n"}) {
    dir_.Write("state/RUNNING_COMMANDS", boot_line + "100 5000 100 /usr/bin/emerge\n");
    EXPECT_THAT(Record().KillLeftovers(), IsEmpty()) << boot_line;
  }
  dir_.Write("state/RUNNING_COMMANDS", kBootLine + "100 5000 100 /usr/bin/emerge\n");
  std::filesystem::remove(dir_.File("proc/sys/kernel/random/boot_id"));  // this boot unknown
  EXPECT_THAT(Record().KillLeftovers(), IsEmpty());
  EXPECT_THAT(killed_, IsEmpty());
}

TEST_F(RunningCommandsTest, NothingRecordedNothingKilled) {
  RunningCommands record = Record();
  EXPECT_THAT(record.KillLeftovers(), IsEmpty());
  EXPECT_THAT(killed_, IsEmpty());
}

// Real processes under the real /proc: what the agent does at its start.
TEST(RunningCommandsRealTest, ALeftoverGroupIsKilledAndAReusedPidIsNot) {
  TempDir dir;
  auto start_group = []() {
    pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, 0);
      execl("/bin/sleep", "sleep", "1000", static_cast<char*>(nullptr));
      _exit(127);
    }
    setpgid(pid, pid);
    return pid;
  };
  const pid_t leftover = start_group();
  const pid_t stranger = start_group();
  ASSERT_GT(leftover, 0);
  ASSERT_GT(stranger, 0);
  // An earlier agent recorded `leftover`, and a process that `stranger`'s
  // pid belonged to before (its start time differs).
  RunningCommands(dir.path(), "/proc").Add(leftover, {"sleep", "1000"});
  auto stat = ReadProcessStat("/proc", stranger);
  ASSERT_TRUE(stat.ok()) << stat.status().ToString();
  const std::string record = ReadFile(dir.File("RUNNING_COMMANDS"));
  ASSERT_THAT(record, HasSubstr(std::to_string(leftover) + " "));
  ASSERT_EQ(record.rfind("boot ", 0), 0u) << record;  // this boot, from the real /proc
  dir.Write("RUNNING_COMMANDS", record + std::to_string(stranger) + " " +
                                    std::to_string(stat->start_time + 1) + " " +
                                    std::to_string(stranger) + " sleep 1000\n");

  std::vector<RunningCommand> killed = RunningCommands(dir.path(), "/proc").KillLeftovers();
  ASSERT_EQ(killed.size(), 1u);
  EXPECT_EQ(killed[0].pid, leftover);
  int status = 0;
  ASSERT_EQ(waitpid(leftover, &status, 0), leftover);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_EQ(waitpid(stranger, &status, WNOHANG), 0) << "a process it never started was killed";
  kill(stranger, SIGKILL);
  waitpid(stranger, &status, 0);
}

TEST(RecordingRunnerTest, ACommandIsRecordedWhileItRuns) {
  TempDir dir;
  RunningCommands record(dir.path(), "/proc");
  ProcessRunner process_runner;
  RecordingRunner runner(&process_runner, &record);
  // The record is written once the command has started: it waits for it.
  const std::string file = dir.File("RUNNING_COMMANDS");
  const std::string script =
      "until grep -q ' /bin/sh ' " + file + " 2>/dev/null; do sleep 0.01; done; cat " + file;
  CommandSpec spec = ShellCommand(script);
  pid_t group = 0;
  spec.on_start = [&](pid_t g) { group = g; };  // still told
  auto r = runner.Run(spec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> problems;
  std::vector<RunningCommand> seen = ParseRunningCommands(r->output, &problems).commands;
  ASSERT_EQ(seen.size(), 1u) << r->output;
  EXPECT_EQ(seen[0].pid, group);
  EXPECT_EQ(seen[0].group, group);
  EXPECT_GT(seen[0].start_time, 0u);
  // Cut at 200 bytes should TMPDIR be long.
  EXPECT_EQ(seen[0].command, Truncate("/bin/sh -c " + script, 200));
  EXPECT_THAT(ParseRunningCommands(ReadFile(dir.File("RUNNING_COMMANDS")), &problems).commands,
              IsEmpty())
      << "removed once it ended";
}

}  // namespace
}  // namespace swarm::agent

// Nothing an agent starts outlives it: a build's whole process tree dies
// with an agent killed by SIGKILL, and an agent that starts kills what an
// earlier one recorded as running in stateDir/RUNNING_COMMANDS, but never a
// process whose start time says the pid has changed hands. Real processes
// on 127.0.0.1: the controller, agents on the fake portage, the fake emerge.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/support/processes.h"

namespace swarm::testing {
namespace {

// A command's line of stateDir/RUNNING_COMMANDS: "<pid> <start time> <group>
// <command>" (the first line, "boot <boot id>", names the boot).
struct Recorded {
  pid_t pid = 0;
  uint64_t start_time = 0;
  pid_t group = 0;
  std::string command;
};

std::vector<Recorded> ReadRecord(const std::string& path) {
  std::vector<Recorded> out;
  std::istringstream in(ReadFile(path));
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    Recorded r;
    if (!(fields >> r.pid >> r.start_time >> r.group)) continue;
    std::getline(fields >> std::ws, r.command);
    out.push_back(r);
  }
  return out;
}

std::string RecordLine(pid_t pid, uint64_t start_time, const std::string& command) {
  return std::to_string(pid) + " " + std::to_string(start_time) + " " + std::to_string(pid) + " " +
         command + "\n";
}

// A process group of the test's own, `sh -c script` leading it; what is left
// of it is killed and reaped when the object goes.
class OwnGroup {
 public:
  explicit OwnGroup(const std::string& script) : pid_(fork()) {
    if (pid_ == 0) {
      setpgid(0, 0);
      execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    if (pid_ > 0) setpgid(pid_, pid_);
  }
  ~OwnGroup() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGKILL);
    if (!reaped_) waitpid(pid_, &status_, 0);
  }
  OwnGroup(const OwnGroup&) = delete;
  OwnGroup& operator=(const OwnGroup&) = delete;

  pid_t pid() const { return pid_; }
  // Reaps the leader without blocking; true once it has ended.
  bool Ended() {
    if (!reaped_ && waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
    return reaped_;
  }
  int status() const { return status_; }

 private:
  pid_t pid_;
  bool reaped_ = false;
  int status_ = 0;
};

class AgentProcessesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(h_.TreeDir().empty());
    h_.AddAgentToken("desktop");
    h_.AddAgentToken("drone-izar");
    ASSERT_TRUE(h_.StartController()) << h_.dir().File("controller.log");
  }

  SwarmHarness h_;
};

TEST_F(AgentProcessesTest, ABuildsWholeProcessTreeDiesWithAnAgentKilledBySigkill) {
  SwarmHarness::PortageAgentOptions desktop;
  desktop.marker = "v1";
  ASSERT_TRUE(h_.StartPortageAgent("desktop", desktop));
  SwarmHarness::PortageAgentOptions drone;
  drone.marker = "v1";
  // Every build sleeps in its compile phase far longer than the test runs.
  drone.emerge_env = {{"FAKE_EMERGE_BUILD_SECONDS", "3600"},
                      {"FAKE_EMERGE_BUILD_LOG", h_.dir().File("builds.log")}};
  ASSERT_TRUE(h_.StartPortageAgent("drone-izar", drone));
  auto applied = h_.Swarmctl({"apply", "-f",
                              h_.WriteReconcileSwarm("swarm.yaml", {"desktop", "drone-izar"},
                                                     h_.Revision(1), "v1", "desktop")});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;

  // A build is compiling: the agent has it recorded, its group led by the
  // command's guard, with emerge and the compile's sleep in it.
  const std::string record = h_.DroneDir("drone-izar") + "/state/RUNNING_COMMANDS";
  Recorded build;
  std::vector<pid_t> tree;
  ASSERT_TRUE(WaitFor([&] {
    if (ReadFile(h_.dir().File("builds.log")).find("start ") == std::string::npos) return false;
    for (const Recorded& r : ReadRecord(record)) {
      if (r.command.find("--oneshot") != std::string::npos) build = r;
    }
    if (build.group == 0) return false;
    tree = GroupMembers(build.group);
    return tree.size() >= 3;  // the guard, emerge, the compile's sleep
  })) << ReadFile(record)
      << h_.agent("drone-izar")->Log();
  EXPECT_EQ(build.pid, build.group);
  EXPECT_EQ(StartTime(build.pid), build.start_time);

  h_.agent("drone-izar")->Signal(SIGKILL);
  h_.agent("drone-izar")->Wait();
  for (pid_t pid : tree) {
    EXPECT_TRUE(WaitFor([&] { return IsDead(pid); })) << "pid " << pid << " of the build's group";
  }
  EXPECT_TRUE(GroupMembers(build.group).empty());
}

TEST_F(AgentProcessesTest, AStartingAgentKillsTheGroupAnEarlierOneLeftButNoStranger) {
  // What an earlier agent recorded: a build group still running (a shell
  // and its child), and a pid that has changed hands since: the process now
  // under it started later than the recorded one.
  const std::string child_file = h_.dir().File("leftover-child");
  OwnGroup leftover("sleep 1000 & echo $! > " + child_file + ".tmp; mv " + child_file + ".tmp " +
                    child_file + "; wait");
  OwnGroup stranger("exec sleep 1000");
  ASSERT_GT(leftover.pid(), 0);
  ASSERT_GT(stranger.pid(), 0);
  ASSERT_TRUE(WaitFor([&] { return !ReadFile(child_file).empty(); }));
  const pid_t leftover_child = std::stoi(ReadFile(child_file));
  ASSERT_TRUE(
      WaitFor([&] { return StartTime(leftover.pid()) > 0 && StartTime(stranger.pid()) > 0; }));
  h_.dir().Write(
      "drones/drone-izar/state/RUNNING_COMMANDS",
      "boot " + ReadFile("/proc/sys/kernel/random/boot_id") +
          RecordLine(leftover.pid(), StartTime(leftover.pid()),
                     "/usr/bin/emerge --oneshot =dev-libs/openssl-3.3.3") +
          RecordLine(stranger.pid(), StartTime(stranger.pid()) - 1, "/bin/sh -c deploy v1"));

  ASSERT_TRUE(h_.StartAgent("drone-izar", "rev-a", "v1"));
  ASSERT_TRUE(WaitFor([&] {
    return h_.agent("drone-izar")
               ->Log()
               .find(
                   "1 of 2 command(s) an earlier agent recorded as "
                   "running were killed") != std::string::npos;
  })) << h_.agent("drone-izar")->Log();

  ASSERT_TRUE(WaitFor([&] { return leftover.Ended(); }));
  EXPECT_TRUE(WIFSIGNALED(leftover.status()) && WTERMSIG(leftover.status()) == SIGKILL);
  EXPECT_TRUE(WaitFor([&] { return IsDead(leftover_child); })) << "pid " << leftover_child;
  EXPECT_FALSE(stranger.Ended()) << "a process it never started was killed";
  const std::string log = h_.agent("drone-izar")->Log();
  EXPECT_NE(log.find("killed process group " + std::to_string(leftover.pid()) +
                     " (/usr/bin/emerge --oneshot =dev-libs/openssl-3.3.3), left running by an "
                     "earlier agent"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("pid " + std::to_string(stranger.pid()) + " is another process now"),
            std::string::npos)
      << log;
  // The record now lists only what this agent runs.
  for (const Recorded& r : ReadRecord(h_.DroneDir("drone-izar") + "/state/RUNNING_COMMANDS")) {
    EXPECT_NE(r.pid, leftover.pid());
    EXPECT_NE(r.pid, stranger.pid());
  }
}

}  // namespace
}  // namespace swarm::testing

#include "node-agent/child_processes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::TempDir;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ChildProcessesTest, FindsDirectChildrenLeadingTheirGroup) {
  TempDir proc;
  proc.Write("100/stat", "100 (sh) S 42 100 7 0 -1\n");        // child, own group
  proc.Write("101/stat", "101 (sleep) S 100 100 7 0 -1\n");    // grandchild
  proc.Write("102/stat", "102 (git) S 42 42 7 0 -1\n");        // child in our group
  proc.Write("103/stat", "103 (a) (b) c) R 42 103 7 0 -1\n");  // odd comm
  proc.Write("104/stat", "104 (other) S 1 104 7 0 -1\n");      // not ours
  proc.Write("105/stat", "garbage");
  proc.Write("self/stat", "42 (swarm-agent) S 1 42 42 0 -1\n");
  proc.Write("cpuinfo", "processor : 0\n");
  std::vector<int> found = ChildProcessGroups(proc.path(), 42);
  std::sort(found.begin(), found.end());
  EXPECT_THAT(found, ElementsAre(100, 103));
}

TEST(ChildProcessesTest, MissingProcRootFindsNothing) {
  TempDir dir;
  EXPECT_THAT(ChildProcessGroups(dir.File("nope"), 42), IsEmpty());
}

TEST(ChildProcessesTest, SignalsARealChildGroup) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setpgid(0, 0);
    pause();
    _exit(0);
  }
  setpgid(pid, pid);  // whichever of the two runs first, the group exists
  // The child shows in /proc as soon as it exists; its group may take a
  // moment only if it has not run yet, which setpgid above rules out.
  EXPECT_THAT(ChildProcessGroups("/proc", getpid()), Contains(pid));
  EXPECT_GE(SignalChildProcessGroups("/proc", SIGTERM), 1);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
}

}  // namespace
}  // namespace swarm::agent

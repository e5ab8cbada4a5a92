#pragma once

// What runs in a child of ProcessRunner between fork and exec: the command's
// guard. ProcessRunner forks the guard; the guard leads a new process group,
// forks the command into it and waits for it. Its job is to make the command
// die with the runner:
//
//   - the guard gets a signal from the kernel when the thread that forked it
//     ends (PR_SET_PDEATHSIG; ProcessRunner::Run forks on the calling thread
//     and returns only once the guard is reaped, so that thread outlives the
//     guard unless the whole process dies), and then kills its whole process
//     group: the command and everything it started that stayed in the group
//     (emerge's ebuild processes, compilers, a hook's git);
//   - the command gets SIGKILL from the kernel when the guard dies
//     (PR_SET_PDEATHSIG again), so a guard killed on its own takes the
//     command with it.
//
// The guard exits as the command did (the same exit code, or the same signal
// raised on itself), so to the runner the guard is the command; its rusage
// includes the command's. The group id is the guard's pid.
//
// Only async-signal-safe calls run after fork: everything is prepared here
// before it.

#include <sys/types.h>

#include <csignal>
#include <string>
#include <vector>

#include "base/status.h"

namespace swarm {

struct CommandSpec;

// What the child reports through the error pipe when the command does not
// start; the pipe closes with nothing written once it has exec'd.
struct ChildFailure {
  enum Stage : int { kGuard, kOutput, kFork, kChdir, kExec } stage;
  int err;
};

// Everything the guard and the command need, built before fork: after fork
// no allocation may happen.
struct ExecPlan {
  std::vector<std::string> argv_storage;
  std::vector<char*> argv;
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  std::vector<std::string> candidates;  // paths to try for argv[0], in PATH order
  bool searched = false;                // argv[0] had no '/', so candidates came from PATH
  std::string cwd;                      // empty: inherit
};
ExecPlan MakePlan(const CommandSpec& spec);

// The signal the kernel sends the guard when the runner's thread ends. A
// SIGHUP sent to the command's process group by anyone else is taken the
// same way: the group is killed.
inline constexpr int kRunnerGoneSignal = SIGHUP;

// Runs in the child of fork(): becomes the guard of `plan`'s command, with
// `stdin_fd` as its standard input, `out_fd` as its standard output and
// error, and failures to start reported on `error_fd`. `runner` is the pid
// of the process that forked (getpid() before fork). Never returns.
[[noreturn]] void RunGuard(const ExecPlan& plan, int stdin_fd, int out_fd, int error_fd,
                           pid_t runner);

// The reason a ChildFailure gives, for "cannot run <program>: <reason>".
std::string DescribeChildFailure(const ChildFailure& f, const std::string& cwd);

}  // namespace swarm

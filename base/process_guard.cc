#include "base/process_guard.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/command_runner.h"
#include "base/strings.h"

extern char** environ;

namespace swarm {
namespace {

// Where the guard puts the error pipe for the command: the descriptor after
// the standard three.
constexpr int kErrorFd = 3;
// Where the guard's own descriptors are copied before they are moved into
// place, above anything they could collide with.
constexpr int kScratchFd = 10;

[[noreturn]] void ReportAndExit(int error_fd, ChildFailure::Stage stage, int err) {
  ChildFailure f{stage, err};
  ssize_t unused = write(error_fd, &f, sizeof f);
  (void)unused;
  _exit(127);
}

// Closes every descriptor from `first` up. The guard never execs, so
// CLOEXEC does not close what it inherited: another command's pipes held
// here would stay open as long as this command runs.
void CloseFrom(int first) {
  if (close_range(static_cast<unsigned>(first), ~0U, 0) == 0) return;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  for (rlim_t fd = static_cast<rlim_t>(first); fd < limit.rlim_cur; ++fd) {
    close(static_cast<int>(fd));
  }
}

// The command, in the guard's child: the guard's descriptors and group, no
// blocked signals.
[[noreturn]] void ExecCommand(const ExecPlan& plan, pid_t guard) {
  // A guard killed on its own can no longer kill the group: the command
  // goes with it.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ReportAndExit(kErrorFd, ChildFailure::kGuard, errno);
  if (getppid() != guard) _exit(127);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (!plan.cwd.empty() && chdir(plan.cwd.c_str()) < 0) {
    ReportAndExit(kErrorFd, ChildFailure::kChdir, errno);
  }
  // execvp's search rules: keep going past missing entries, remember EACCES.
  bool saw_eacces = false;
  for (const auto& candidate : plan.candidates) {
    execve(candidate.c_str(), plan.argv.data(), plan.envp.data());
    int err = errno;
    if (!plan.searched) ReportAndExit(kErrorFd, ChildFailure::kExec, err);
    switch (err) {
      case EACCES:
        saw_eacces = true;
        break;
      case ENOENT:
      case ENOTDIR:
      case ESTALE:
      case ENODEV:
      case ETIMEDOUT:
        break;
      default:
        ReportAndExit(kErrorFd, ChildFailure::kExec, err);
    }
  }
  ReportAndExit(kErrorFd, ChildFailure::kExec, saw_eacces ? EACCES : ENOENT);
}

// Ends the guard as the command ended.
[[noreturn]] void ExitAs(int status) {
  if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const rlimit no_core{0, 0};  // the command's core dump is the command's
    setrlimit(RLIMIT_CORE, &no_core);
    sigset_t just;
    sigemptyset(&just);
    sigaddset(&just, sig);
    kill(getpid(), sig);
    sigprocmask(SIG_UNBLOCK, &just, nullptr);  // delivered here: the default action ends the guard
  }
  _exit(127);
}

// Waits for the command, or for the runner's end; never returns.
[[noreturn]] void Guard(pid_t command) {
  sigset_t wanted;
  sigemptyset(&wanted);
  sigaddset(&wanted, SIGCHLD);
  sigaddset(&wanted, kRunnerGoneSignal);
  while (true) {
    const int sig = sigwaitinfo(&wanted, nullptr);
    if (sig == kRunnerGoneSignal) {
      kill(0, SIGKILL);  // the whole group, the guard included
      _exit(128 + SIGKILL);
    }
    int status = 0;
    if (waitpid(command, &status, WNOHANG) == command) ExitAs(status);
  }
}

}  // namespace

ExecPlan MakePlan(const CommandSpec& spec) {
  ExecPlan plan;
  plan.cwd = spec.cwd;
  plan.argv_storage = spec.argv;
  for (auto& a : plan.argv_storage) plan.argv.push_back(a.data());
  plan.argv.push_back(nullptr);

  std::string path_value = "/bin:/usr/bin";  // glibc's execvp default
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    std::string key = entry.substr(0, entry.find('='));
    if (spec.env.count(key)) continue;
    if (key == "PATH") path_value = entry.substr(5);
    plan.env_storage.push_back(std::move(entry));
  }
  for (const auto& [k, v] : spec.env) {
    plan.env_storage.push_back(k + "=" + v);
    if (k == "PATH") path_value = v;
  }
  for (auto& e : plan.env_storage) plan.envp.push_back(e.data());
  plan.envp.push_back(nullptr);

  // The PATH searched is the child's (with overrides), so a caller that puts a
  // directory of tools in front of PATH runs those tools.
  const std::string& name = spec.argv[0];
  if (name.find('/') != std::string::npos) {
    plan.candidates.push_back(name);
    return plan;
  }
  plan.searched = true;
  size_t start = 0;
  while (true) {
    size_t colon = path_value.find(':', start);
    std::string dir = path_value.substr(start, colon == std::string::npos ? colon : colon - start);
    if (dir.empty()) dir = ".";  // POSIX: an empty PATH entry is the current directory
    plan.candidates.push_back(dir + "/" + name);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return plan;
}

void RunGuard(const ExecPlan& plan, int stdin_fd, int out_fd, int error_fd, pid_t runner) {
  // Dispositions set to "ignore" (SIGPIPE in servers) survive exec and would
  // change how the command behaves; handlers are reset by exec itself.
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, nullptr);
  }
  // The guard takes signals only in sigwaitinfo(): a SIGTERM meant for the
  // group stops the command, and the guard then ends as the command did.
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);

  setpgid(0, 0);
  if (prctl(PR_SET_PDEATHSIG, kRunnerGoneSignal) != 0) {
    ReportAndExit(error_fd, ChildFailure::kGuard, errno);
  }
  // The runner's thread ended before the line above: nobody waits for this.
  if (getppid() != runner) _exit(127);

  // The command's three descriptors and the error pipe, and nothing else.
  const int in = fcntl(stdin_fd, F_DUPFD_CLOEXEC, kScratchFd);
  const int out = fcntl(out_fd, F_DUPFD_CLOEXEC, kScratchFd);
  const int err = fcntl(error_fd, F_DUPFD_CLOEXEC, kScratchFd);
  if (err < 0) ReportAndExit(error_fd, ChildFailure::kOutput, errno);
  if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
      dup2(out, STDERR_FILENO) < 0 || dup3(err, kErrorFd, O_CLOEXEC) < 0) {
    ReportAndExit(err, ChildFailure::kOutput, errno);
  }
  CloseFrom(kErrorFd + 1);

  const pid_t guard = getpid();
  const pid_t command = _Fork();
  if (command < 0) ReportAndExit(kErrorFd, ChildFailure::kFork, errno);
  if (command == 0) ExecCommand(plan, guard);
  // The output pipe ends with the command and what it started; the error
  // pipe once it has exec'd.
  for (int fd = STDIN_FILENO; fd <= kErrorFd; ++fd) close(fd);
  Guard(command);
}

std::string DescribeChildFailure(const ChildFailure& f, const std::string& cwd) {
  switch (f.stage) {
    case ChildFailure::kChdir:
      return "cannot enter directory \"" + cwd + "\": " + ErrnoText(f.err);
    case ChildFailure::kExec:
      return ErrnoText(f.err);
    case ChildFailure::kGuard:
      return "tying it to this process failed (prctl): " + ErrnoText(f.err);
    case ChildFailure::kFork:
      return "fork: " + ErrnoText(f.err);
    case ChildFailure::kOutput:
      break;
  }
  return "setting up its output failed: " + ErrnoText(f.err);
}

}  // namespace swarm

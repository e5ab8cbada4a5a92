#include "base/command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <system_error>

#include "base/file_util.h"
#include "base/process_guard.h"
#include "base/strings.h"
#include "base/unique_fd.h"

namespace swarm {
namespace {

// How long the output loop sleeps at most when the kernel has no pidfd: the
// latency with which a child that exited behind a still-open pipe is noticed.
constexpr int kExitPollMs = 50;
constexpr size_t kReadChunk = 64 * 1024;

// Reads the exec-failure report. Returns ok once the command has exec'd
// (the CLOEXEC write ends closed with nothing written).
Status AwaitExec(int error_fd, const CommandSpec& spec) {
  ChildFailure f{};
  ssize_t n;
  do {
    n = read(error_fd, &f, sizeof f);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return Status::Ok();
  if (n != static_cast<ssize_t>(sizeof f)) {
    return Internal("reading the exec status of \"" + spec.argv[0] + "\" failed");
  }
  return Unavailable("cannot run \"" + spec.argv[0] + "\": " + DescribeChildFailure(f, spec.cwd));
}

bool WriteAll(int fd, const char* data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

// Collects the child's output, keeping only the tail in memory.
class OutputSink {
 public:
  OutputSink(const CommandSpec& spec, int file_fd) : spec_(spec), file_fd_(file_fd) {}

  void Append(const char* data, size_t len) {
    if (file_fd_ >= 0 && !WriteAll(file_fd_, data, len)) {
      // The command goes on; the failure shows in the captured output.
      std::string note = "\n[writing " + spec_.output_file + " failed: " + ErrnoText(errno) + "]\n";
      file_fd_ = -1;
      AppendCaptured(note.data(), note.size());
    }
    AppendCaptured(data, len);
  }

  std::string Take() {
    Trim(spec_.max_captured_bytes);
    return std::move(captured_);
  }

 private:
  void AppendCaptured(const char* data, size_t len) {
    captured_.append(data, len);
    // Trimming only past twice the limit keeps the cost amortized linear.
    if (captured_.size() > 2 * spec_.max_captured_bytes + kReadChunk) {
      Trim(spec_.max_captured_bytes);
    }
  }
  void Trim(size_t max) {
    if (captured_.size() > max) captured_.erase(0, captured_.size() - max);
  }

  const CommandSpec& spec_;
  int file_fd_;
  std::string captured_;
};

// Reads what is available now, at most `max_reads` chunks so a command that
// writes without pause cannot hold off the timeout; returns false at end of file.
bool ReadAvailable(int fd, OutputSink& sink, int max_reads) {
  char buf[kReadChunk];
  for (int reads = 0; reads < max_reads;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      sink.Append(buf, static_cast<size_t>(n));
      ++reads;
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
  return true;
}

int OpenPidFd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

// Blocks every signal for the life of the object, so no handler of this
// process runs in the child between fork and exec.
class SignalBlock {
 public:
  SignalBlock() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved_);
  }
  ~SignalBlock() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }

 private:
  sigset_t saved_;
};

// `usage`, when given, gets the child's rusage once it is reaped.
pid_t WaitChild(pid_t pid, int* wstatus, int flags, rusage* usage = nullptr) {
  pid_t r;
  do {
    r = wait4(pid, wstatus, flags, usage);
  } while (r < 0 && errno == EINTR);
  return r;
}

std::chrono::milliseconds CpuTime(const rusage& u) {
  auto ms = [](const timeval& t) {
    return std::chrono::milliseconds(int64_t{t.tv_sec} * 1000 + t.tv_usec / 1000);
  };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

}  // namespace

Result<CommandResult> ProcessRunner::Run(const CommandSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) {
    return InvalidArgument("command has no program to run");
  }
  if (spec.cancel && spec.cancel->cancelled()) {
    CommandResult never;
    never.cancelled = true;
    return never;
  }
  ExecPlan plan = MakePlan(spec);

  UniqueFd devnull(open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!devnull.valid()) return Unavailable("cannot open /dev/null: " + ErrnoText(errno));
  UniqueFd out_file;
  if (!spec.output_file.empty()) {
    auto opened = OpenNoFollow(spec.output_file, O_WRONLY | O_CREAT | O_APPEND);
    if (!opened.ok()) {
      return Unavailable("cannot open the output file: " + opened.status().message());
    }
    out_file = std::move(opened).value();
  }
  // Every descriptor is CLOEXEC so commands run by other threads at the same
  // time do not inherit this one's pipes (which would hold them open).
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return Unavailable("pipe: " + ErrnoText(errno));
  UniqueFd out_read(fds[0]), out_write(fds[1]);
  if (pipe2(fds, O_CLOEXEC) < 0) return Unavailable("pipe: " + ErrnoText(errno));
  UniqueFd err_read(fds[0]), err_write(fds[1]);

  // The guard (base/process_guard.h) is forked on this thread, which waits
  // for it below on every path: the thread outlives it, so its
  // PR_SET_PDEATHSIG fires only when this whole process dies.
  const pid_t runner = getpid();
  pid_t pid;
  {
    SignalBlock block;
    pid = fork();
    if (pid == 0) RunGuard(plan, devnull.get(), out_write.get(), err_write.get(), runner);
  }
  if (pid < 0) return Unavailable("fork: " + ErrnoText(errno));
  // Also set here, so the group exists before any kill below whatever the
  // guard's progress (the guard never execs, so this cannot fail for that).
  setpgid(pid, pid);
  out_write.Reset();
  err_write.Reset();
  if (spec.on_start) spec.on_start(pid);

  Status exec_status = AwaitExec(err_read.get(), spec);
  if (!exec_status.ok()) {
    int ignored;
    WaitChild(pid, &ignored, 0);
    return exec_status;
  }

  fcntl(out_read.get(), F_SETFL, fcntl(out_read.get(), F_GETFL) | O_NONBLOCK);
  UniqueFd pidfd(OpenPidFd(pid));
  OutputSink sink(spec, out_file.get());
  CommandResult result;
  using SteadyClock = std::chrono::steady_clock;
  auto deadline = spec.timeout ? std::optional(SteadyClock::now() + *spec.timeout) : std::nullopt;
  std::optional<SteadyClock::time_point> kill_at;  // after a cancel: SIGKILL past this
  bool out_open = true;
  int wstatus = 0;
  rusage usage{};
  while (true) {
    if (WaitChild(pid, &wstatus, WNOHANG, &usage) == pid) break;
    const auto now = SteadyClock::now();
    if (!result.cancelled && spec.cancel && spec.cancel->cancelled()) {
      result.cancelled = true;
      kill(-pid, SIGTERM);
      kill(pid, SIGTERM);
      kill_at = now + spec.cancel_grace;
    }
    int wait_ms = -1;
    // The earlier of the timeout and the end of a cancel's grace.
    auto limit = deadline;
    if (kill_at && (!limit || *kill_at < *limit)) limit = kill_at;
    if (limit) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*limit - now);
      if (left.count() <= 0) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        result.timed_out = !result.cancelled;
        WaitChild(pid, &wstatus, 0, &usage);
        break;
      }
      wait_ms = static_cast<int>(std::min<int64_t>(left.count(), INT32_MAX));
    }
    // A background grandchild may hold the pipe open after the child exits,
    // so the child's exit (not end of output) ends the run.
    if (!pidfd.valid() && (wait_ms < 0 || wait_ms > kExitPollMs)) wait_ms = kExitPollMs;
    if (spec.cancel && !result.cancelled && (wait_ms < 0 || wait_ms > kCancelPollMs)) {
      wait_ms = kCancelPollMs;
    }
    pollfd pfds[2];
    nfds_t n = 0;
    if (out_open) pfds[n++] = {out_read.get(), POLLIN, 0};
    if (pidfd.valid()) pfds[n++] = {pidfd.get(), POLLIN, 0};
    int r = poll(pfds, n, wait_ms);
    if (r < 0 && errno != EINTR) {
      int err = errno;
      kill(-pid, SIGKILL);
      WaitChild(pid, &wstatus, 0);
      return Internal("poll on the output of \"" + spec.argv[0] + "\": " + ErrnoText(err));
    }
    if (out_open && r > 0 && pfds[0].revents != 0)
      out_open = ReadAvailable(out_read.get(), sink, 16);
  }
  // A cancelled command leaves nothing behind: its group had its SIGTERM
  // (the leader is reaped, but the group id stays reserved while members live).
  if (result.cancelled) kill(-pid, SIGKILL);
  // Whatever the child wrote before exiting is in the pipe now; the bound
  // (more than a pipe holds) stops at a grandchild that keeps writing.
  if (out_open) ReadAvailable(out_read.get(), sink, 64);

  if (WIFEXITED(wstatus)) {
    result.exit_code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    result.signaled = true;
    result.term_signal = WTERMSIG(wstatus);
  }
  result.output = sink.Take();
  result.cpu_time = CpuTime(usage);
  return result;
}

CommandSpec ShellCommand(const std::string& command) {
  CommandSpec spec;
  spec.argv = {"/bin/sh", "-c", command};
  return spec;
}

std::string Tail(const std::string& text, size_t max_lines) {
  if (max_lines == 0 || text.empty()) return "";
  // A final newline ends the last line; it does not start an empty one.
  size_t pos = text.back() == '\n' ? text.size() - 1 : text.size();
  size_t lines = 0;
  while (pos > 0) {
    size_t nl = text.rfind('\n', pos - 1);
    if (nl == std::string::npos) break;
    if (++lines == max_lines) return text.substr(nl + 1);
    pos = nl;
  }
  return text;
}

}  // namespace swarm

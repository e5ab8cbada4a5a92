#pragma once

// Running other programs goes through CommandRunner (ninja's pattern), so agent
// logic is tested with a fake runner that drives failures without spawning.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace swarm {

// Asks a running command to stop (see CommandSpec::cancel). Once cancelled it
// stays cancelled. Thread safety: every method may be called from any thread.
class CancelToken {
 public:
  void Cancel() {
    {
      std::lock_guard<std::mutex> l(mu_);
      cancelled_ = true;
    }
    cv_.notify_all();
  }
  bool cancelled() const {
    std::lock_guard<std::mutex> l(mu_);
    return cancelled_;
  }
  // Blocks until Cancel() or `max` has passed; true when cancelled.
  bool WaitFor(std::chrono::milliseconds max) const {
    std::unique_lock<std::mutex> l(mu_);
    return cv_.wait_for(l, max, [this] { return cancelled_; });
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool cancelled_ = false;
};

struct CommandSpec {
  std::vector<std::string> argv;               // argv[0] is looked up in PATH
  std::string cwd;                             // empty: inherit
  std::map<std::string, std::string> env;      // added to (and overriding) the environment
  std::optional<std::chrono::milliseconds> timeout;  // killed (SIGKILL to its group) past this
  // When set, output is also appended here (the build log), never through a
  // symbolic link: Run() is then Unavailable and starts nothing.
  std::string output_file;
  size_t max_captured_bytes = 1 << 20;  // only the tail past this is kept in `output`
  // When set: once cancelled (noticed within kCancelPollMs) the command's
  // process group gets SIGTERM, and SIGKILL if it still runs `cancel_grace`
  // later; once the command has exited, what is left of its group gets
  // SIGKILL. A token cancelled before Run() starts nothing.
  std::shared_ptr<const CancelToken> cancel;
  std::chrono::milliseconds cancel_grace{5000};
  // When set, called on the thread that runs the command as soon as it is
  // started, with the id of its process group (the pid of its guard, see
  // ProcessRunner): for whoever must find the command if this process dies.
  std::function<void(pid_t group)> on_start;
};

// How often a running command's CancelToken is looked at.
inline constexpr int kCancelPollMs = 50;

struct CommandResult {
  int exit_code = -1;      // valid when !signaled
  bool signaled = false;   // killed by a signal
  int term_signal = 0;
  bool timed_out = false;
  bool cancelled = false;  // stopped through CommandSpec::cancel (or never started)
  std::string output;      // stdout and stderr interleaved, tail-truncated
  // User plus system CPU time of the command and of every descendant that
  // was waited for (the rusage wait4 reports when the command is reaped):
  // for emerge, the whole build.
  std::chrono::milliseconds cpu_time{0};
  bool ok() const { return !signaled && !timed_out && !cancelled && exit_code == 0; }
};

// Thread safety: implementations may be called from several threads at once.
class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // Runs to completion. A command that cannot be started (not found, not
  // executable) is Unavailable; anything it does once running is a result.
  virtual Result<CommandResult> Run(const CommandSpec& spec) = 0;
};

// Runs each command in a process group of its own, under a guard process
// (base/process_guard.h) that dies with the thread that ran the command and
// then kills the group: a command never outlives the process that ran it,
// however that process ends (kill -9 included).
class ProcessRunner final : public CommandRunner {
 public:
  Result<CommandResult> Run(const CommandSpec& spec) override;
};

// `sh -c <command>`: for operator-written hooks.
CommandSpec ShellCommand(const std::string& command);

// Last `max_lines` lines of `text`, for error reports.
std::string Tail(const std::string& text, size_t max_lines);

}  // namespace swarm

#pragma once

// Running other programs goes through CommandRunner (ninja's pattern), so agent
// logic is tested with a fake runner that drives failures without spawning.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace swarm {

struct CommandSpec {
  std::vector<std::string> argv;               // argv[0] is looked up in PATH
  std::string cwd;                             // empty: inherit
  std::map<std::string, std::string> env;      // added to (and overriding) the environment
  std::optional<std::chrono::milliseconds> timeout;  // killed (SIGKILL to its group) past this
  std::string output_file;  // when set, output is also appended here (the build log)
  size_t max_captured_bytes = 1 << 20;  // only the tail past this is kept in `output`
};

struct CommandResult {
  int exit_code = -1;      // valid when !signaled
  bool signaled = false;   // killed by a signal
  int term_signal = 0;
  bool timed_out = false;
  std::string output;      // stdout and stderr interleaved, tail-truncated
  bool ok() const { return !signaled && !timed_out && exit_code == 0; }
};

// Thread safety: implementations may be called from several threads at once.
class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // Runs to completion. A command that cannot be started (not found, not
  // executable) is Unavailable; anything it does once running is a result.
  virtual Result<CommandResult> Run(const CommandSpec& spec) = 0;
};

// Runs commands as child processes in their own process group.
class ProcessRunner final : public CommandRunner {
 public:
  Result<CommandResult> Run(const CommandSpec& spec) override;
};

// `sh -c <command>`: for operator-written hooks.
CommandSpec ShellCommand(const std::string& command);

// Last `max_lines` lines of `text`, for error reports.
std::string Tail(const std::string& text, size_t max_lines);

}  // namespace swarm

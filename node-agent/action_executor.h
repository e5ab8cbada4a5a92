#pragma once

// Carries out one action on this host: the deploy and sync hooks, and
// `emerge --pretend` for discovery (docs/api.md, "Actions"). Words that would
// reach a command line are checked first as the Swarm's validation checks
// them (a version or revision that a program could take for an option,
// emergeArgs outside the allowlist, a target that is no atom or set): such
// an action fails without running anything. Each action ends with a look at
// the drone's deploy version and tree revision, which the result carries and
// which decide, with the command's exit, whether it succeeded.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "base/clock.h"
#include "base/command_runner.h"
#include "node-agent/config.h"

namespace swarm::agent {

// Runs one action to its end and says how it went.
// Thread safety: Execute() is called from one thread at a time.
class ActionExecutor {
 public:
  virtual ~ActionExecutor() = default;
  // Blocks until the action ends. Never fails as a whole: every problem is a
  // result with succeeded=false and a one-line message.
  virtual api::ActionResult Execute(const api::Action& action) = 0;
};

// What the host executor needs from agent.yaml.
struct ActionSettings {
  std::string state_dir;  // DEPLOY_MARKER and logs/ live here
  std::string repo_dir;   // where the tree revision is read
  std::string emerge;     // the emerge program (possibly a wrapper script)
  std::string emerge_log;  // past build times for discovery's estimates; "" none
  HooksConfig hooks;
  // Past this a hook or emerge is killed and the action fails. Generous: a
  // sync over a slow link or a deploy that compiles may take many minutes.
  Duration timeout = std::chrono::hours(1);
};
ActionSettings ActionSettingsFor(const AgentConfig& c);

// Lines of command output a failed (or finished) action reports.
inline constexpr size_t kOutputTailLines = 20;

// "<state_dir>/logs/<id>.log": the whole output of the action's command.
// `id` must be a safe file name (see IsSafeActionId).
std::string ActionLogPath(const std::string& state_dir, const std::string& id);

// `<emerge> --pretend --tree --color=n --nospinner <emerge_args split on
// whitespace (api::SplitEmergeArgs)> <targets...>`: an argv, so nothing in
// it reaches a shell.
std::vector<std::string> DiscoverArgv(const std::string& emerge, const api::Action& action);

// Runs hooks and emerge through a CommandRunner.
// Thread safety: Execute() from one thread at a time.
class HostActionExecutor final : public ActionExecutor {
 public:
  // `runner` is not owned and must outlive the executor.
  HostActionExecutor(ActionSettings settings, CommandRunner* runner);

  api::ActionResult Execute(const api::Action& action) override;

  // Stops the running hook or emerge (SIGTERM to its process group, SIGKILL
  // after kCancelGrace) and every later one: for shutdown. The action then
  // fails. Safe from any thread.
  void Cancel() { cancel_->Cancel(); }
  static constexpr Duration kCancelGrace{5000};

 private:
  // Each runs the action's command and fills the result's exit code, message
  // and output tail; true when the command part succeeded, so that the
  // observed state decides the rest.
  bool Deploy(const api::Action& a, api::ActionResult& r);
  bool Sync(const api::Action& a, api::ActionResult& r);
  bool Discover(const api::Action& a, api::ActionResult& r);

  // Runs `spec` with the action's timeout and log file; false (with the
  // result filled as a failure) unless it exited 0.
  bool RunCommand(const std::string& what, const std::string& id, CommandSpec spec,
                  api::ActionResult& r, CommandResult* out);

  ActionSettings settings_;
  CommandRunner* runner_;
  std::shared_ptr<CancelToken> cancel_ = std::make_shared<CancelToken>();
};

}  // namespace swarm::agent

#pragma once

// Builds one assigned package on this host (docs/api.md, "Builds"): runs
// `<emerge> --oneshot --usepkg --getbinpkg --buildpkg --color=n --nospinner
// =<package>` with PKGDIR set and the whole output in
// stateDir/logs/<assignment>.log, then finds the binary package it wrote
// and its entry of PKGDIR/Packages, or says whose fault the failure was
// (ClassifyBuildFailure).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "base/clock.h"
#include "base/command_runner.h"
#include "node-agent/config.h"

namespace swarm::agent {

// A build that ended, with what its reports need.
struct FinishedBuild {
  api::BuildResult result;
  std::string log_path;     // the whole output; empty when none was written
  std::string binpkg_path;  // Succeeded: the binary package to upload (absolute)
  bool cancelled = false;   // stopped through its CancelToken: nothing to report
  int64_t expected_ms = 0;  // the assignment's expectedMs, for the health machine
};

// Runs one build to its end.
// Thread safety: Execute() may run on several threads at once, one per build.
class BuildExecutor {
 public:
  virtual ~BuildExecutor() = default;
  // Blocks until the build ends or `cancel` stops it (then `cancelled` is
  // set and the result means nothing). Never fails as a whole: every problem
  // is a Failed result with a one-line message.
  virtual FinishedBuild Execute(const api::BuildAssignment& assignment,
                                std::shared_ptr<CancelToken> cancel) = 0;
};

// What the host executor needs from agent.yaml.
struct BuildSettings {
  std::string state_dir;  // logs/ lives here
  std::string pkg_dir;    // PKGDIR: where emerge --buildpkg writes
  std::string emerge;     // the emerge program (possibly a wrapper script)
  std::string repo_dir;   // the portage tree whose revision an assignment must match
  // Past this emerge is killed and the build fails (class Package: a build
  // that hangs, hangs everywhere). Generous: big packages on small drones
  // take the better part of a day.
  Duration timeout = std::chrono::hours(48);
  // After a cancel, how long emerge has after SIGTERM before SIGKILL.
  Duration cancel_grace = std::chrono::seconds(10);
};
BuildSettings BuildSettingsFor(const AgentConfig& c);

// Output kept in memory for the classifier: the tail of the log, where
// emerge's verdict and the compiler's last words are.
inline constexpr size_t kBuildCaptureBytes = 4 << 20;

// `<emerge> --oneshot --usepkg --getbinpkg --buildpkg --color=n --nospinner
// =<package>`: an argv, so nothing in it reaches a shell.
std::vector<std::string> BuildArgv(const std::string& emerge, const std::string& package);

// Runs emerge through a CommandRunner; durations come from the Clock's
// steady time.
// Thread safety: Execute() may run on several threads at once.
class HostBuildExecutor final : public BuildExecutor {
 public:
  // `runner` and `clock` are not owned and must outlive the executor.
  HostBuildExecutor(BuildSettings settings, CommandRunner* runner, Clock* clock);

  FinishedBuild Execute(const api::BuildAssignment& assignment,
                        std::shared_ptr<CancelToken> cancel) override;

 private:
  // Why `a` must not be built on this tree, or "" when it may (the tree is
  // at the assignment's stamp, or the assignment carries none).
  std::string WrongTree(const api::BuildAssignment& a);
  // Fills `out` from a run that exited 0: Succeeded with the binary package
  // (and its Packages entry when there is a current one), or Failed when
  // there is none to upload.
  void Succeeded(const api::BuildAssignment& a, const CommandResult& run, FinishedBuild& out);
  // Fills `out` from a run that failed, as ClassifyBuildFailure reads it.
  void Failed(const CommandResult& run, FinishedBuild& out);

  BuildSettings settings_;
  CommandRunner* runner_;
  Clock* clock_;
};

}  // namespace swarm::agent

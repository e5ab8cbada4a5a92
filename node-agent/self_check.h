#pragma once

// The self-check a RECOVERING drone runs before it takes work again
// (node-agent/health.h): hooks.selfCheck (default `<emerge> --info`) exits 0,
// the tree revision reads, and the fullest portage disk is under the policy's
// degraded threshold. It runs off the heartbeat thread: `emerge --info` takes
// seconds, a hook may take minutes.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/types.h"
#include "base/clock.h"
#include "base/command_runner.h"
#include "node-agent/config.h"
#include "node-agent/probes.h"

namespace swarm::agent {

struct SelfCheckOutcome {
  bool ok = false;
  std::string reason;  // what failed, "; "-joined; empty when ok
};

struct SelfCheckSettings {
  std::string hook;  // hooks.selfCheck; empty: not configured, not run
  std::string repo_dir;
  std::vector<std::string> disk_dirs;
  Duration timeout = std::chrono::minutes(10);
};
SelfCheckSettings SelfCheckSettingsFor(const AgentConfig& c);

// Runs every check on the calling thread. `cancel` (may be null) stops the hook.
SelfCheckOutcome RunSelfCheck(const SelfCheckSettings& settings, int disk_degraded_percent,
                              CommandRunner& runner, const StatFs& statfs,
                              std::shared_ptr<const CancelToken> cancel = nullptr);

// Runs self-checks for the agent.
// Thread safety: every method may be called from any thread.
class SelfChecker {
 public:
  virtual ~SelfChecker() = default;
  // Starts a self-check under `policy`, unless one is running or its
  // outcome has not been taken yet.
  virtual void Start(const api::HealthPolicy& policy) = 0;
  // The outcome of the self-check that ended since the last call, if any.
  virtual std::optional<SelfCheckOutcome> TakeOutcome() = 0;
};

// RunSelfCheck on a thread of its own, one at a time.
class HostSelfChecker final : public SelfChecker {
 public:
  // `runner` is not owned and must outlive the checker.
  HostSelfChecker(SelfCheckSettings settings, CommandRunner* runner, StatFs statfs = RealStatFs());
  // Stops a running hook and joins the thread.
  ~HostSelfChecker() override;

  void Start(const api::HealthPolicy& policy) override;
  std::optional<SelfCheckOutcome> TakeOutcome() override;

 private:
  SelfCheckSettings settings_;
  CommandRunner* runner_;
  StatFs statfs_;
  std::shared_ptr<CancelToken> cancel_ = std::make_shared<CancelToken>();

  std::mutex mu_;
  bool running_ = false;
  std::optional<SelfCheckOutcome> outcome_;
  std::thread thread_;
};

}  // namespace swarm::agent

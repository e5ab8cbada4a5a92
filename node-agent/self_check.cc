#include "node-agent/self_check.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "api/quantity.h"
#include "node-agent/health.h"

namespace swarm::agent {
namespace {

void Add(std::string& reason, const std::string& what) {
  if (!reason.empty()) reason += "; ";
  reason += what;
}

// The last non-empty line of `output`, for a one-line reason.
std::string LastLine(const std::string& output) {
  std::string tail = Tail(output, 1);
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
  return tail;
}

}  // namespace

SelfCheckSettings SelfCheckSettingsFor(const AgentConfig& c) {
  SelfCheckSettings s;
  s.hook = c.hooks.self_check;
  s.repo_dir = c.portage.repo_dir;
  s.disk_dirs = ProbePathsFor(c).disk_dirs;
  return s;
}

SelfCheckOutcome RunSelfCheck(const SelfCheckSettings& s, int disk_degraded_percent,
                              CommandRunner& runner, const StatFs& statfs,
                              std::shared_ptr<const CancelToken> cancel) {
  std::string reason;
  if (!s.hook.empty()) {
    CommandSpec spec = ShellCommand(ExpandHook(s.hook, HookValues{}));
    spec.timeout = s.timeout;
    spec.cancel = std::move(cancel);
    auto run = runner.Run(spec);
    if (!run.ok()) {
      Add(reason, "hooks.selfCheck could not run: " + run.status().message());
    } else if (run->cancelled) {
      Add(reason, "hooks.selfCheck was stopped");
    } else if (run->timed_out) {
      Add(reason, "hooks.selfCheck timed out after " + api::FormatDuration(s.timeout));
    } else if (!run->ok()) {
      std::string how = run->signaled ? "was killed by signal " + std::to_string(run->term_signal)
                                      : "exited " + std::to_string(run->exit_code);
      std::string last = LastLine(run->output);
      Add(reason, "hooks.selfCheck " + how + (last.empty() ? "" : ": " + last));
    }
  }
  if (auto rev = ReadTreeRevision(s.repo_dir, runner); !rev.ok()) {
    Add(reason, "tree revision unreadable: " + rev.status().message());
  }
  std::vector<std::string> problems;
  const double disk = MaxDiskUsedPercent(s.disk_dirs, statfs, &problems);
  if (disk >= disk_degraded_percent) {
    Add(reason,
        "disk " + FormatPercent(disk) + " >= " + std::to_string(disk_degraded_percent) + "%");
  }
  for (const auto& p : problems) Add(reason, p);
  return SelfCheckOutcome{reason.empty(), reason};
}

HostSelfChecker::HostSelfChecker(SelfCheckSettings settings, CommandRunner* runner, StatFs statfs)
    : settings_(std::move(settings)), runner_(runner), statfs_(std::move(statfs)) {}

HostSelfChecker::~HostSelfChecker() {
  cancel_->Cancel();
  if (thread_.joinable()) thread_.join();
}

void HostSelfChecker::Start(const api::HealthPolicy& policy) {
  std::lock_guard<std::mutex> l(mu_);
  if (running_ || outcome_) return;
  if (thread_.joinable()) thread_.join();  // the last one ended: running_ is false
  running_ = true;
  spdlog::info("self-check started");
  const int disk_limit = policy.disk_degraded_percent;
  thread_ = std::thread([this, disk_limit] {
    SelfCheckOutcome o = RunSelfCheck(settings_, disk_limit, *runner_, statfs_, cancel_);
    if (o.ok) {
      spdlog::info("self-check passed");
    } else {
      spdlog::warn("self-check failed: {}", o.reason);
    }
    std::lock_guard<std::mutex> l(mu_);
    outcome_ = std::move(o);
    running_ = false;
  });
}

std::optional<SelfCheckOutcome> HostSelfChecker::TakeOutcome() {
  std::lock_guard<std::mutex> l(mu_);
  return std::exchange(outcome_, std::nullopt);
}

}  // namespace swarm::agent

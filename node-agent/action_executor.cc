#include "node-agent/action_executor.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "api/emerge_args.h"
#include "api/quantity.h"
#include "api/validation.h"
#include "node-agent/emerge_log.h"
#include "node-agent/emerge_pretend.h"
#include "node-agent/file_util.h"
#include "node-agent/probes.h"

namespace swarm::agent {
namespace {

// emerge's pretend output for a large @world is a few hundred kB; a capture
// this full means the head may have been cut off, and a queue parsed from a
// tail would silently miss packages.
constexpr size_t kDiscoverCaptureBytes = 16 << 20;

// The drone's deploy version and tree revision, or why one is unknown.
struct Observed {
  std::string deploy_version;
  std::string deploy_problem;
  std::string tree_revision;
  std::string tree_problem;
};

Observed Observe(const ActionSettings& s, CommandRunner& runner) {
  Observed o;
  if (auto v = ReadDeployVersion(s.state_dir); v.ok()) {
    o.deploy_version = *v;
    if (v->empty()) o.deploy_problem = "the deploy marker is empty";
  } else {
    o.deploy_problem =
        v.status().code() == StatusCode::kNotFound ? "no deploy marker" : v.status().message();
  }
  if (auto rev = ReadTreeRevision(s.repo_dir, runner); rev.ok()) {
    o.tree_revision = *rev;
  } else {
    o.tree_problem = rev.status().message();
  }
  return o;
}

std::string Describe(const std::string& value, const std::string& problem) {
  return value.empty() ? "unknown (" + problem + ")" : value;
}

// Why a command that ran did not exit 0.
std::string DescribeFailure(const std::string& what, const CommandResult& c, Duration timeout) {
  if (c.cancelled) return what + " was stopped: the agent is shutting down";
  if (c.timed_out) return what + " timed out after " + api::FormatDuration(timeout);
  if (c.signaled) return what + " was killed by signal " + std::to_string(c.term_signal);
  return what + " exited " + std::to_string(c.exit_code);
}

// A mismatch between what the action wanted and what the drone has after
// it; empty when they agree.
std::string CheckOutcome(const api::Action& a, const Observed& now) {
  if (a.type == api::kActionDeploy && now.deploy_version != a.version) {
    return "after hooks.deploy the deploy marker reads " +
           Describe(now.deploy_version, now.deploy_problem) + ", wanted " + a.version;
  }
  if (a.type == api::kActionSync && now.tree_revision != a.revision) {
    return "after hooks.sync the tree is at " + Describe(now.tree_revision, now.tree_problem) +
           ", wanted " + a.revision;
  }
  if (a.type == api::kActionDiscover) {
    // The queue is stamped with the action's tree; a tree that moved under
    // emerge would make that stamp a lie.
    if (now.tree_revision != a.tree_revision) {
      return "the tree moved to " + Describe(now.tree_revision, now.tree_problem) +
             " during discovery, wanted " + a.tree_revision;
    }
    if (now.deploy_version != a.deploy_version) {
      return "the deploy version changed to " + Describe(now.deploy_version, now.deploy_problem) +
             " during discovery, wanted " + a.deploy_version;
    }
  }
  return "";
}

// Why the action's words must not reach a hook or emerge, or "" when they
// may. The controller checked them when the Swarm was applied; they are
// checked again here because a controller can be compromised, and these
// are the words that end up on a command line of this drone.
std::string Refusal(const api::Action& a) {
  auto named = [](const std::string& field, const Status& s) { return field + ": " + s.message(); };
  if (a.type == api::kActionDeploy && !a.version.empty()) {
    if (Status s = api::CheckDeployVersion(a.version); !s.ok()) return named("version", s);
  }
  if (a.type == api::kActionSync && !a.revision.empty()) {
    if (Status s = api::CheckTreeRevision(a.revision); !s.ok()) return named("revision", s);
  }
  if (a.type == api::kActionDiscover) {
    if (Status s = api::CheckEmergeArgs(a.emerge_args); !s.ok()) return named("emergeArgs", s);
    for (size_t i = 0; i < a.targets.size(); ++i) {
      if (Status s = api::CheckEmergeTarget(a.targets[i]); !s.ok()) {
        return named("targets[" + std::to_string(i) + "]", s);
      }
    }
  }
  return "";
}

}  // namespace

ActionSettings ActionSettingsFor(const AgentConfig& c) {
  ActionSettings s;
  s.state_dir = c.state_dir;
  s.repo_dir = c.portage.repo_dir;
  s.emerge = c.portage.emerge;
  s.emerge_log = c.portage.emerge_log;
  s.hooks = c.hooks;
  return s;
}

std::string ActionLogPath(const std::string& state_dir, const std::string& id) {
  return state_dir + "/logs/" + id + ".log";
}

std::vector<std::string> DiscoverArgv(const std::string& emerge, const api::Action& action) {
  std::vector<std::string> argv = {emerge, "--pretend", "--tree", "--color=n", "--nospinner"};
  for (std::string& w : api::SplitEmergeArgs(action.emerge_args)) argv.push_back(std::move(w));
  argv.insert(argv.end(), action.targets.begin(), action.targets.end());
  return argv;
}

HostActionExecutor::HostActionExecutor(ActionSettings settings, CommandRunner* runner)
    : settings_(std::move(settings)), runner_(runner) {}

api::ActionResult HostActionExecutor::Execute(const api::Action& a) {
  api::ActionResult r;
  r.id = a.id;
  r.type = a.type;
  r.exit_code = -1;
  bool ran = false;
  if (std::string refusal = Refusal(a); !refusal.empty()) {
    r.message = "refusing to " + a.type + ": " + refusal;
  } else if (a.type == api::kActionDeploy) {
    ran = Deploy(a, r);
  } else if (a.type == api::kActionSync) {
    ran = Sync(a, r);
  } else if (a.type == api::kActionDiscover) {
    ran = Discover(a, r);
  } else {
    r.message = "unknown action type \"" + a.type + "\"";
  }

  Observed now = Observe(settings_, *runner_);
  r.deploy_version = now.deploy_version;
  r.tree_revision = now.tree_revision;
  if (!ran) return r;
  if (std::string mismatch = CheckOutcome(a, now); !mismatch.empty()) {
    r.message = std::move(mismatch);
    r.packages.clear();
    return r;
  }
  r.succeeded = true;
  return r;
}

bool HostActionExecutor::Deploy(const api::Action& a, api::ActionResult& r) {
  if (settings_.hooks.deploy.empty()) {
    r.message = "hooks.deploy is not configured on this drone";
    return false;
  }
  if (a.version.empty()) {
    r.message = "the deploy action names no version";
    return false;
  }
  HookValues values;
  values.version = a.version;
  CommandResult out;
  CommandSpec spec = ShellCommand(ExpandHook(settings_.hooks.deploy, values));
  if (!RunCommand("hooks.deploy", a.id, std::move(spec), r, &out)) return false;
  // The agent, not the hook, writes the marker: a hook that dies half-way can
  // then never leave a marker claiming the new version (fail closed).
  const std::string marker = settings_.state_dir + "/" + kDeployMarkerFile;
  if (Status s = WriteFileAtomically(marker, a.version + "\n"); !s.ok()) {
    r.message = "hooks.deploy succeeded but the deploy marker was not written: " + s.message();
    return false;
  }
  r.message = "deployed " + a.version;
  return true;
}

bool HostActionExecutor::Sync(const api::Action& a, api::ActionResult& r) {
  if (settings_.hooks.sync.empty()) {
    r.message = "hooks.sync is not configured on this drone";
    return false;
  }
  if (a.revision.empty()) {
    r.message = "the sync action names no revision";
    return false;
  }
  HookValues values;
  values.revision = a.revision;
  CommandResult out;
  CommandSpec spec = ShellCommand(ExpandHook(settings_.hooks.sync, values));
  if (!RunCommand("hooks.sync", a.id, std::move(spec), r, &out)) return false;
  r.message = "tree synced to " + a.revision;
  return true;
}

bool HostActionExecutor::Discover(const api::Action& a, api::ActionResult& r) {
  if (a.targets.empty()) {
    r.message = "the discover action names no targets";
    return false;
  }
  if (a.tree_revision.empty() || a.deploy_version.empty()) {
    r.message =
        "the discover action names no treeRevision or deployVersion to stamp the queue with";
    return false;
  }
  // The stale-queue incident: a queue resolved on another tree was stamped as
  // current and grounded every drone. Refuse rather than resolve elsewhere.
  Observed before = Observe(settings_, *runner_);
  if (before.tree_revision != a.tree_revision) {
    r.message = "refusing to discover: this drone's tree is at " +
                Describe(before.tree_revision, before.tree_problem) + ", the action wants " +
                a.tree_revision;
    return false;
  }
  if (before.deploy_version != a.deploy_version) {
    r.message = "refusing to discover: this drone runs deploy " +
                Describe(before.deploy_version, before.deploy_problem) + ", the action wants " +
                a.deploy_version;
    return false;
  }
  CommandSpec spec;
  spec.argv = DiscoverArgv(settings_.emerge, a);
  spec.max_captured_bytes = kDiscoverCaptureBytes;
  CommandResult out;
  if (!RunCommand("emerge --pretend", a.id, std::move(spec), r, &out)) return false;
  if (out.output.size() >= kDiscoverCaptureBytes) {
    r.message = "emerge's output filled the " + std::to_string(kDiscoverCaptureBytes >> 20) +
                " MiB capture; refusing a queue that may be missing its head";
    return false;
  }
  auto packages = ParseEmergePretend(out.output);
  if (!packages.ok()) {
    r.message = "cannot read emerge's output: " + packages.status().message();
    return false;
  }
  r.packages = std::move(packages).value();
  r.message = "resolved " + std::to_string(r.packages.size()) + " packages";
  if (int timed = EstimateFromEmergeLog(settings_.emerge_log, r.packages); timed > 0) {
    r.message += ", " + std::to_string(timed) + " timed by " + settings_.emerge_log;
  }
  return true;
}

bool HostActionExecutor::RunCommand(const std::string& what, const std::string& id,
                                    CommandSpec spec, api::ActionResult& r, CommandResult* out) {
  spec.timeout = settings_.timeout;
  spec.cancel = cancel_;
  spec.cancel_grace = kCancelGrace;
  // Without a log the action still runs: the tail reaches the controller.
  if (Status s = MakeDirs(settings_.state_dir + "/logs"); s.ok()) {
    spec.output_file = ActionLogPath(settings_.state_dir, id);
  } else {
    spdlog::warn("action {}: {}; its output is not logged", id, s.message());
  }
  auto run = runner_->Run(spec);
  if (!run.ok()) {
    r.message = what + " could not run: " + run.status().message();
    return false;
  }
  *out = std::move(run).value();
  // A killed command reports what a shell would: 128 + the signal.
  r.exit_code = out->signaled ? 128 + out->term_signal : out->exit_code;
  r.output_tail = Tail(out->output, kOutputTailLines);
  if (!out->ok()) {
    r.message = DescribeFailure(what, *out, settings_.timeout);
    return false;
  }
  return true;
}

}  // namespace swarm::agent

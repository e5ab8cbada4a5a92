#include "node-agent/build_executor.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "api/quantity.h"
#include "node-agent/action_executor.h"
#include "node-agent/binpkg.h"
#include "node-agent/binpkg_index.h"
#include "node-agent/build_failure.h"
#include "node-agent/file_util.h"

namespace swarm::agent {
namespace {

int64_t MillisSince(SteadyTime start, SteadyTime end) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(end - start).count();
}

void Fail(api::BuildResult& r, const char* failure_class, std::string message) {
  r.outcome = api::kBuildFailed;
  r.failure_class = failure_class;
  r.message = std::move(message);
}

}  // namespace

BuildSettings BuildSettingsFor(const AgentConfig& c) {
  BuildSettings s;
  s.state_dir = c.state_dir;
  s.pkg_dir = c.portage.pkg_dir;
  s.emerge = c.portage.emerge;
  s.repo_dir = c.portage.repo_dir;
  return s;
}

std::vector<std::string> BuildArgv(const std::string& emerge, const std::string& package) {
  return {emerge,       "--oneshot", "--usepkg",    "--getbinpkg",
          "--buildpkg", "--color=n", "--nospinner", "=" + package};
}

HostBuildExecutor::HostBuildExecutor(BuildSettings settings, CommandRunner* runner, Clock* clock)
    : settings_(std::move(settings)), runner_(runner), clock_(clock) {}

FinishedBuild HostBuildExecutor::Execute(const api::BuildAssignment& a,
                                         std::shared_ptr<CancelToken> cancel) {
  FinishedBuild out;
  api::BuildResult& r = out.result;
  r.assignment = a.id;
  r.package = a.package;
  const SteadyTime start = clock_->SteadyNow();

  // "=<package>" must name one version, and FindBinaryPackage needs its parts.
  if (auto cpv = ParseCpv(a.package); !cpv.ok()) {
    Fail(r, api::kFailurePackage, "cannot build: " + cpv.status().message());
    return out;
  }
  // A queue computed against another tree names versions this tree may not
  // have (the stale-queue incident): such a build is given back, not run.
  if (std::string wrong = WrongTree(a); !wrong.empty()) {
    r.outcome = api::kBuildReturned;
    r.message = std::move(wrong);
    return out;
  }

  CommandSpec spec;
  spec.argv = BuildArgv(settings_.emerge, a.package);
  spec.env = {{"PKGDIR", settings_.pkg_dir}};
  spec.timeout = settings_.timeout;
  spec.cancel = std::move(cancel);
  spec.cancel_grace = settings_.cancel_grace;
  spec.max_captured_bytes = kBuildCaptureBytes;
  // Without a log the build still runs: the classifier reads the captured tail.
  const std::string log = ActionLogPath(settings_.state_dir, a.id);
  if (Status s = MakeDirs(settings_.state_dir + "/logs"); s.ok()) {
    // An agent restarted mid-build runs the assignment again: a fresh log. A
    // symbolic link planted there stays, for the runner to refuse: the build
    // fails saying so instead of writing through it.
    std::error_code ec;
    if (!std::filesystem::is_symlink(std::filesystem::symlink_status(log, ec))) {
      std::filesystem::remove(log, ec);
    }
    spec.output_file = log;
  } else {
    spdlog::warn("build {}: {}; its output is not logged", a.id, s.message());
  }

  auto run = runner_->Run(spec);
  r.duration_ms = MillisSince(start, clock_->SteadyNow());
  // Only a log the runner wrote is reported (never what a link points to).
  if (std::error_code ec;
      !spec.output_file.empty() &&
      std::filesystem::is_regular_file(std::filesystem::symlink_status(log, ec))) {
    out.log_path = log;
  }
  if (run.ok()) r.cpu_ms = run->cpu_time.count();
  if (!run.ok()) {
    // emerge missing or not executable: this drone cannot build anything.
    Fail(r, api::kFailureDroneResources, "emerge could not run: " + run.status().message());
    return out;
  }
  if (run->cancelled) {
    out.cancelled = true;
    return out;
  }
  if (run->ok()) {
    Succeeded(a, *run, out);
  } else {
    Failed(*run, out);
  }
  return out;
}

std::string HostBuildExecutor::WrongTree(const api::BuildAssignment& a) {
  if (a.tree_revision.empty()) return "";
  auto rev = ReadTreeRevision(settings_.repo_dir, *runner_);
  if (!rev.ok()) {
    return "not built: the tree revision is unknown (" + rev.status().message() +
           "); the queue was computed against " + a.tree_revision;
  }
  if (*rev == a.tree_revision) return "";
  return "not built: this drone's tree is at " + *rev + ", the queue was computed against " +
         a.tree_revision;
}

void HostBuildExecutor::Succeeded(const api::BuildAssignment& a, const CommandResult& run,
                                  FinishedBuild& out) {
  api::BuildResult& r = out.result;
  auto found = FindBinaryPackage(settings_.pkg_dir, a.package);
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) {
      // Success without a package is impossible by contract: nothing to publish.
      Fail(r, api::kFailurePackage,
           "emerge succeeded but no binary package for =" + a.package + " in PKGDIR");
    } else {
      Fail(r, api::kFailureDroneResources,
           "emerge succeeded but PKGDIR cannot be read: " + found.status().message());
    }
    r.log_tail = Tail(run.output, kOutputTailLines);
    return;
  }
  if (found->size == 0) {
    // The controller refuses it and requeues the package; that is its call.
    spdlog::warn("build {}: the binary package {} is empty", a.id, found->path);
  }
  r.outcome = api::kBuildSucceeded;
  r.message = "built " + found->relative_path;
  // Its SHA-256 is taken as it is uploaded: a big package's digest does not
  // keep the next build waiting.
  r.binpkg = api::BinaryPackageRef{found->relative_path, found->size, ""};
  out.binpkg_path = found->path;
  // The binhost lists the package without it; the build stands either way.
  if (auto entry = IndexEntryFor(settings_.pkg_dir, a.package, *found); entry.ok()) {
    r.index_entry = std::move(entry).value();
  } else {
    spdlog::debug("build {}: no Packages entry sent: {}", a.id, entry.status().message());
  }
}

void HostBuildExecutor::Failed(const CommandResult& run, FinishedBuild& out) {
  api::BuildResult& r = out.result;
  const BuildFailure f =
      ClassifyBuildFailure(run.output, run.exit_code, run.signaled, run.term_signal);
  r.outcome = api::kBuildFailed;
  r.failure_class = FailureClassName(f.failure_class);
  r.phase = f.phase;
  r.message = f.reason;
  r.log_tail = f.log_tail;
  r.oom_killed = f.out_of_memory;
  if (run.timed_out) {
    // Our own SIGKILL, not the kernel's: a build that hangs is the package's.
    r.failure_class = api::kFailurePackage;
    r.message = "emerge timed out after " + api::FormatDuration(settings_.timeout);
    r.oom_killed = false;
  }
}

}  // namespace swarm::agent

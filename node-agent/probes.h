#pragma once

// What the agent observes on its drone: CPU, memory, load (from procRoot),
// disk (statvfs of the portage directories), the deploy marker and the tree
// revision. A probe that fails leaves its field at zero or empty and adds a
// problem; it never stops the agent.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"
#include "base/command_runner.h"
#include "base/status.h"

namespace swarm::agent {

// File name of the deploy marker inside stateDir: its trimmed content is the
// deployed version.
inline constexpr char kDeployMarkerFile[] = "DEPLOY_MARKER";

struct ProbePaths {
  std::string proc_root = "/proc";
  std::string state_dir = "/var/lib/build-swarm";
  std::string repo_dir = "/var/db/repos/gentoo";
  std::vector<std::string> disk_dirs = {"/var/cache/binpkgs", "/var/tmp/portage"};
};

struct ProbeResult {
  api::Resources resources;
  std::string deploy_version;  // empty when the marker is missing: "needs deploy"
  std::string tree_revision;   // empty when neither git nor timestamp.commit tell
  // One line per probe that failed or fell back, for the log. Stable across
  // calls while nothing changes, so callers can log only differences.
  std::vector<std::string> problems;
};

struct MemoryInfo {
  int64_t total_bytes = 0;
  double used_percent = 0;
};

// Number of "processor" lines in <proc_root>/cpuinfo. NotFound when the file
// cannot be read; InvalidArgument when it has no such line.
Result<int> ReadCpuCount(const std::string& proc_root);

// MemTotal and MemAvailable of <proc_root>/meminfo; used = (total - available)
// / total * 100. Kernels without MemAvailable: MemFree + Buffers + Cached.
// InvalidArgument when the fields are missing or malformed.
Result<MemoryInfo> ReadMemory(const std::string& proc_root);

// First field of <proc_root>/loadavg.
Result<double> ReadLoad1(const std::string& proc_root);

// Blocks counts as statvfs reports them, in any one unit.
struct DiskStat {
  uint64_t blocks = 0;  // f_blocks
  uint64_t free = 0;    // f_bfree (including the root reserve)
  uint64_t avail = 0;   // f_bavail (what unprivileged users may use)
};
// statvfs of a path: NotFound when it does not exist.
using StatFs = std::function<Result<DiskStat>(const std::string& path)>;
StatFs RealStatFs();

// Used percent as df shows it: used / (used + avail) * 100.
double DiskUsedPercent(const DiskStat& s);

// The highest used percent over `dirs`. A directory that cannot be measured is
// skipped and described in `problems`; 0 when none can be measured.
double MaxDiskUsedPercent(const std::vector<std::string>& dirs, const StatFs& statfs,
                          std::vector<std::string>* problems);

// Trimmed content of <state_dir>/DEPLOY_MARKER; NotFound when missing.
Result<std::string> ReadDeployVersion(const std::string& state_dir);

// The commit <repo_dir>/.git/HEAD names, read from the files git keeps
// (HEAD, then the branch's loose ref or packed-refs), without running git;
// nullopt when those files do not settle it (no .git directory, a worktree,
// anything unexpected).
std::optional<std::string> ReadGitHead(const std::string& repo_dir);

// ReadGitHead(), else `git -C <repo_dir> rev-parse HEAD`, else the first
// field of <repo_dir>/metadata/timestamp.commit. NotFound (saying what was
// tried) when none gives a revision.
Result<std::string> ReadTreeRevision(const std::string& repo_dir, CommandRunner& runner);

// Thread safety: Probe() may be called from one thread at a time.
class Prober {
 public:
  // `runner` is not owned and must outlive the Prober.
  Prober(ProbePaths paths, CommandRunner* runner, StatFs statfs = RealStatFs());

  // Runs every probe; never fails as a whole.
  ProbeResult Probe();

 private:
  ProbePaths paths_;
  CommandRunner* runner_;
  StatFs statfs_;
};

}  // namespace swarm::agent

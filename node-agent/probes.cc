#include "node-agent/probes.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "node-agent/file_util.h"

namespace swarm::agent {
namespace {

// A git object name: 40 (SHA-1) or 64 (SHA-256) hex digits.
bool IsCommitHash(const std::string& s) {
  if (s.size() != 40 && s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string FirstField(const std::string& s) {
  std::istringstream in(s);
  std::string field;
  in >> field;
  return field;
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

Result<int> ReadCpuCount(const std::string& proc_root) {
  auto text = ReadWholeFile(proc_root + "/cpuinfo");
  if (!text.ok()) return text.status();
  std::istringstream in(*text);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    if (Trim(std::string_view(line).substr(0, colon)) == "processor") ++count;
  }
  if (count == 0) return InvalidArgument(proc_root + "/cpuinfo: no \"processor\" lines");
  return count;
}

Result<MemoryInfo> ReadMemory(const std::string& proc_root) {
  const std::string path = proc_root + "/meminfo";
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  // Values are in kB ("MemTotal:       32803544 kB"); nullopt marks a value
  // that is not a number, which matters only for the fields used below.
  std::map<std::string, std::optional<int64_t>, std::less<>> kb;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = FirstField(line.substr(colon + 1));
    int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    bool valid =
        !value.empty() && ec == std::errc() && end == value.data() + value.size() && n >= 0;
    kb[Trim(std::string_view(line).substr(0, colon))] =
        valid ? std::optional<int64_t>(n) : std::nullopt;
  }
  auto get = [&](std::string_view name, int64_t* out) -> Status {
    auto it = kb.find(name);
    if (it == kb.end()) return NotFound(path + ": no " + std::string(name) + " line");
    if (!it->second)
      return InvalidArgument(path + ": " + std::string(name) + " is not a number of kB");
    *out = *it->second;
    return Status::Ok();
  };
  int64_t total = 0, available = 0;
  if (Status s = get("MemTotal", &total); !s.ok()) return InvalidArgument(s.message());
  if (total == 0) return InvalidArgument(path + ": MemTotal is 0");
  if (Status s = get("MemAvailable", &available); s.code() == StatusCode::kNotFound) {
    // Kernels before 3.14 have no MemAvailable; this is their usual estimate.
    int64_t free = 0, buffers = 0, cached = 0;
    if (!get("MemFree", &free).ok() || !get("Buffers", &buffers).ok() ||
        !get("Cached", &cached).ok()) {
      return InvalidArgument(path + ": neither MemAvailable nor MemFree, Buffers and Cached");
    }
    available = free + buffers + cached;
  } else if (!s.ok()) {
    return s;
  }
  if (available > total) available = total;
  MemoryInfo m;
  m.total_bytes = total * 1024;
  m.used_percent = static_cast<double>(total - available) * 100.0 / static_cast<double>(total);
  return m;
}

Result<double> ReadLoad1(const std::string& proc_root) {
  const std::string path = proc_root + "/loadavg";
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  std::string field = FirstField(*text);
  double load = 0;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), load);
  if (field.empty() || ec != std::errc() || end != field.data() + field.size() || load < 0) {
    return InvalidArgument(path + ": first field \"" + field + "\" is not a load average");
  }
  return load;
}

StatFs RealStatFs() {
  return [](const std::string& path) -> Result<DiskStat> {
    struct statvfs v {};
    if (::statvfs(path.c_str(), &v) != 0) {
      int err = errno;
      if (err == ENOENT || err == ENOTDIR) return NotFound(path + ": no such directory");
      return Unavailable(path + ": statvfs: " + std::strerror(err));
    }
    return DiskStat{v.f_blocks, v.f_bfree, v.f_bavail};
  };
}

double DiskUsedPercent(const DiskStat& s) {
  uint64_t used = s.blocks >= s.free ? s.blocks - s.free : 0;
  uint64_t usable = used + s.avail;
  if (usable == 0) return 0;
  return static_cast<double>(used) * 100.0 / static_cast<double>(usable);
}

double MaxDiskUsedPercent(const std::vector<std::string>& dirs, const StatFs& statfs,
                          std::vector<std::string>* problems) {
  double max = 0;
  for (const auto& dir : dirs) {
    auto stat = statfs(dir);
    if (!stat.ok()) {
      if (problems) problems->push_back("disk: skipped " + stat.status().message());
      continue;
    }
    max = std::max(max, DiskUsedPercent(*stat));
  }
  return max;
}

Result<std::string> ReadDeployVersion(const std::string& state_dir) {
  auto text = ReadWholeFile(state_dir + "/" + kDeployMarkerFile);
  if (!text.ok()) return text.status();
  return Trim(*text);
}

std::optional<std::string> ReadGitHead(const std::string& repo_dir) {
  const std::string git = repo_dir + "/.git";
  auto head = ReadWholeFile(git + "/HEAD");
  if (!head.ok()) return std::nullopt;  // no .git directory (or a worktree's file)
  std::string value = Trim(*head);
  if (IsCommitHash(value)) return value;  // detached, as the sync hook leaves it
  constexpr std::string_view kRef = "ref: ";
  if (value.rfind(kRef, 0) != 0) return std::nullopt;
  const std::string ref = value.substr(kRef.size());
  if (ref.rfind("refs/", 0) != 0 || ref.find("..") != std::string::npos) return std::nullopt;
  if (auto loose = ReadWholeFile(git + "/" + ref); loose.ok()) {
    std::string hash = Trim(*loose);
    return IsCommitHash(hash) ? std::optional(hash) : std::nullopt;
  } else if (loose.status().code() != StatusCode::kNotFound) {
    return std::nullopt;  // there but unreadable: packed-refs may be older
  }
  // "<hash> <ref>" lines of packed-refs, after `git gc`.
  auto packed = ReadWholeFile(git + "/packed-refs");
  if (!packed.ok()) return std::nullopt;
  std::istringstream lines(*packed);
  for (std::string line; std::getline(lines, line);) {
    const size_t space = line.find(' ');
    if (space == std::string::npos || line.substr(space + 1) != ref) continue;
    std::string hash = line.substr(0, space);
    return IsCommitHash(hash) ? std::optional(hash) : std::nullopt;
  }
  return std::nullopt;
}

Result<std::string> ReadTreeRevision(const std::string& repo_dir, CommandRunner& runner) {
  // No process for the common case: every heartbeat and build reads it.
  if (auto head = ReadGitHead(repo_dir)) return *head;
  CommandSpec spec;
  spec.argv = {"git", "-C", repo_dir, "rev-parse", "HEAD"};
  spec.timeout = std::chrono::seconds(30);
  spec.max_captured_bytes = 4096;
  std::string git_error;
  auto run = runner.Run(spec);
  if (!run.ok()) {
    git_error = run.status().message();
  } else if (!run->ok()) {
    git_error = "git rev-parse HEAD failed: " + Trim(FirstLine(Trim(run->output)));
  } else {
    std::string head = Trim(run->output);
    if (IsCommitHash(head)) return head;
    git_error = "git rev-parse HEAD printed \"" + FirstLine(head) + "\"";
  }

  // rsync-synced trees carry no .git but record their commit here.
  const std::string stamp_path = repo_dir + "/metadata/timestamp.commit";
  auto stamp = ReadWholeFile(stamp_path);
  if (stamp.ok()) {
    std::string rev = FirstField(*stamp);
    if (!rev.empty()) return rev;
    return NotFound(git_error + "; " + stamp_path + " is empty");
  }
  return NotFound(git_error + "; " + stamp.status().message());
}

Prober::Prober(ProbePaths paths, CommandRunner* runner, StatFs statfs)
    : paths_(std::move(paths)), runner_(runner), statfs_(std::move(statfs)) {}

ProbeResult Prober::Probe() {
  ProbeResult r;
  auto& problems = r.problems;

  if (auto cores = ReadCpuCount(paths_.proc_root); cores.ok()) {
    r.resources.cores = *cores;
  } else {
    r.resources.cores = static_cast<int>(std::thread::hardware_concurrency());
    problems.push_back("cores: " + cores.status().message() + "; using the " +
                       std::to_string(r.resources.cores) + " the C++ runtime reports");
  }

  if (auto mem = ReadMemory(paths_.proc_root); mem.ok()) {
    r.resources.memory_bytes = mem->total_bytes;
    r.resources.memory_used_percent = mem->used_percent;
  } else {
    problems.push_back("memory: " + mem.status().message());
  }

  if (auto load = ReadLoad1(paths_.proc_root); load.ok()) {
    r.resources.load1 = *load;
  } else {
    problems.push_back("load: " + load.status().message());
  }

  r.resources.disk_used_percent = MaxDiskUsedPercent(paths_.disk_dirs, statfs_, &problems);

  if (auto version = ReadDeployVersion(paths_.state_dir); version.ok()) {
    r.deploy_version = *version;
    if (version->empty()) problems.push_back("deploy marker is empty: reporting needs-deploy");
  } else {
    problems.push_back("deploy marker: " + version.status().message() + ": reporting needs-deploy");
  }

  if (auto rev = ReadTreeRevision(paths_.repo_dir, *runner_); rev.ok()) {
    r.tree_revision = *rev;
  } else {
    problems.push_back("tree revision: " + rev.status().message());
  }
  return r;
}

}  // namespace swarm::agent

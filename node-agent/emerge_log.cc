#include "node-agent/emerge_log.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <map>

#include "api/cpv.h"
#include "base/strings.h"
#include "node-agent/file_util.h"

namespace swarm::agent {
namespace {

// "<digits>:" at the start of `line`; the rest after it in `*rest`. No
// sign: a time is never negative, so two never differ by more than int64_t
// holds.
bool ReadTime(std::string_view line, int64_t* t, std::string_view* rest) {
  const size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos || !IsAsciiDigit(line[0])) return false;
  auto [end, ec] = std::from_chars(line.data(), line.data() + colon, *t);
  if (ec != std::errc() || end != line.data() + colon) return false;
  *rest = line.substr(colon + 1);
  return true;
}

// After `prefix` (leading blanks skipped): "(i of n) cat/pkg-ver to ROOT";
// the cpv in `*cpv`.
bool ReadMerge(std::string_view rest, std::string_view prefix, std::string_view* cpv) {
  const size_t start = rest.find_first_not_of(' ');
  if (start == std::string_view::npos || rest.substr(start, prefix.size()) != prefix) return false;
  rest = rest.substr(start + prefix.size());
  if (rest.empty() || rest.front() != '(') return false;
  const size_t close = rest.find(") ");
  if (close == std::string_view::npos) return false;
  rest = rest.substr(close + 2);
  const size_t to = rest.find(" to ");
  if (to == 0 || to == std::string_view::npos) return false;
  *cpv = rest.substr(0, to);
  return cpv->find('/') != std::string_view::npos && cpv->find(' ') == std::string_view::npos;
}

// After "=== ": "(i of n) Merging Binary (cat/pkg-ver::path)"; the cpv in
// `*cpv`.
bool ReadBinaryMerge(std::string_view rest, std::string_view* cpv) {
  const size_t start = rest.find_first_not_of(' ');
  constexpr std::string_view kPrefix = "=== (";
  if (start == std::string_view::npos || rest.substr(start, kPrefix.size()) != kPrefix) {
    return false;
  }
  rest = rest.substr(start + kPrefix.size());
  const size_t close = rest.find(") ");
  if (close == std::string_view::npos) return false;
  rest = rest.substr(close + 2);
  constexpr std::string_view kBinary = "Merging Binary (";
  if (rest.substr(0, kBinary.size()) != kBinary) return false;
  rest = rest.substr(kBinary.size());
  const size_t repo = rest.find("::");
  if (repo == 0 || repo == std::string_view::npos) return false;
  *cpv = rest.substr(0, repo);
  return true;
}

struct OpenMerge {
  int64_t started = 0;
  bool binary = false;
};

}  // namespace

std::vector<LoggedMerge> ParseEmergeLog(std::string_view log) {
  std::vector<LoggedMerge> out;
  std::map<std::string, std::vector<OpenMerge>, std::less<>> open;  // by cpv
  while (!log.empty()) {
    const size_t nl = log.find('\n');
    std::string_view line = log.substr(0, nl);
    log = nl == std::string_view::npos ? std::string_view() : log.substr(nl + 1);
    int64_t t = 0;
    std::string_view rest, cpv;
    if (!ReadTime(line, &t, &rest)) continue;
    if (ReadMerge(rest, ">>> emerge ", &cpv)) {
      open[std::string(cpv)].push_back({t, false});
    } else if (ReadBinaryMerge(rest, &cpv)) {
      auto it = open.find(cpv);
      if (it != open.end() && !it->second.empty()) it->second.back().binary = true;
    } else if (ReadMerge(rest, "::: completed emerge ", &cpv)) {
      auto it = open.find(cpv);
      if (it == open.end() || it->second.empty()) continue;
      const OpenMerge m = it->second.back();
      it->second.pop_back();
      if (t >= m.started) out.push_back({std::string(cpv), m.started, t - m.started, m.binary});
    }
  }
  return out;
}

BuildTimes::BuildTimes(std::string_view emerge_log) {
  for (const auto& m : ParseEmergeLog(emerge_log)) {
    // A merge "longer" than any build is a clock that jumped in between;
    // the controller refuses such an estimate (api::kMaxBuildMs).
    if (m.binary || m.seconds > api::kMaxBuildMs / 1000) continue;
    by_cpv_[m.cpv] = m.seconds;
    by_key_[api::PackageKey(m.cpv)] = m.seconds;
  }
}

std::optional<int64_t> BuildTimes::For(const std::string& cpv, bool* other_version) const {
  if (auto it = by_cpv_.find(cpv); it != by_cpv_.end()) return it->second;
  auto k = by_key_.find(api::PackageKey(cpv));
  if (k == by_key_.end()) return std::nullopt;
  if (other_version != nullptr) *other_version = true;
  return k->second;
}

int EstimateFromEmergeLog(const std::string& path, std::vector<api::DiscoveredPackage>& packages) {
  if (path.empty()) return 0;
  auto log = ReadWholeFile(path);
  if (!log.ok()) {
    spdlog::debug("no build times for the queue's estimates: {}", log.status().message());
    return 0;
  }
  const BuildTimes times(*log);
  int timed = 0;
  for (auto& p : packages) {
    if (auto t = times.For(p.name)) {
      p.estimated_ms = *t * 1000;
      ++timed;
    }
  }
  return timed;
}

}  // namespace swarm::agent

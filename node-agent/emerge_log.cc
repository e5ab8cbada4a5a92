#include "node-agent/emerge_log.h"

#include <charconv>
#include <map>

namespace swarm::agent {
namespace {

// "<digits>:" at the start of `line`; the rest after it in `*rest`.
bool ReadTime(std::string_view line, int64_t* t, std::string_view* rest) {
  const size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
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

}  // namespace

std::vector<LoggedMerge> ParseEmergeLog(std::string_view log) {
  std::vector<LoggedMerge> out;
  std::map<std::string, std::vector<int64_t>, std::less<>> open;  // cpv -> start times
  while (!log.empty()) {
    const size_t nl = log.find('\n');
    std::string_view line = log.substr(0, nl);
    log = nl == std::string_view::npos ? std::string_view() : log.substr(nl + 1);
    int64_t t = 0;
    std::string_view rest, cpv;
    if (!ReadTime(line, &t, &rest)) continue;
    if (ReadMerge(rest, ">>> emerge ", &cpv)) {
      open[std::string(cpv)].push_back(t);
    } else if (ReadMerge(rest, "::: completed emerge ", &cpv)) {
      auto it = open.find(cpv);
      if (it == open.end() || it->second.empty()) continue;
      const int64_t started = it->second.back();
      it->second.pop_back();
      if (t >= started) out.push_back({std::string(cpv), started, t - started});
    }
  }
  return out;
}

}  // namespace swarm::agent

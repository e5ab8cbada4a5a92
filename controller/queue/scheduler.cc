#include "controller/queue/scheduler.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "api/cpv.h"
#include "api/quantity.h"
#include "base/strings.h"

namespace swarm::controller {
namespace {

// ---- What a package needs of a drone, and whether a drone has it.

struct Needs {
  int64_t memory_at_least = 0;  // bytes, from requirements
  std::string memory_at_least_from;
  int64_t memory_more_than = 0;  // bytes, learned from OOMs
  std::string memory_more_than_from;
  int cores_at_least = 0;
  std::string cores_at_least_from;
  std::set<std::string> excluded;  // drones that returned or failed it
};

// spec.queue.requirements[].match against a cat/pn: '*' matches any run of
// characters. Iterative, with one backtrack point.
bool MatchesPackage(const std::string& pattern, const std::string& key) {
  size_t p = 0, k = 0, star = std::string::npos, resume = 0;
  while (k < key.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = k;
    } else if (p < pattern.size() && pattern[p] == key[k]) {
      ++p;
      ++k;
    } else if (star != std::string::npos) {
      p = star + 1;
      k = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Every matching requirement applies, so the largest memory and cores win.
Needs NeedsOf(const api::Package& p, const std::vector<api::Requirement>& requirements,
              const std::map<std::string, PackageDemand>& learned) {
  Needs n;
  const std::string key = api::PackageKey(p.name);
  for (const auto& r : requirements) {
    if (!MatchesPackage(r.match, key)) continue;
    if (r.memory_bytes > n.memory_at_least) {
      n.memory_at_least = r.memory_bytes;
      n.memory_at_least_from = "requirement " + r.match;
    }
    if (r.cores && *r.cores > n.cores_at_least) {
      n.cores_at_least = *r.cores;
      n.cores_at_least_from = "requirement " + r.match;
    }
  }
  if (auto it = learned.find(p.name); it != learned.end()) {
    n.memory_more_than = it->second.min_memory_bytes_exclusive;
    n.memory_more_than_from = it->second.cause.empty() ? "learned" : it->second.cause;
  }
  n.excluded.insert(p.excluded_drones.begin(), p.excluded_drones.end());
  return n;
}

// Whatever its eligibility or load; unknown memory or cores (0) fail any need.
bool Fits(const Needs& n, const DroneCapacity& d) {
  return (n.memory_at_least <= 0 || d.memory_bytes >= n.memory_at_least) &&
         (n.memory_more_than <= 0 || d.memory_bytes > n.memory_more_than) &&
         (n.cores_at_least <= 0 || d.cores >= n.cores_at_least) && !n.excluded.count(d.name);
}

// ---- The Blocked reason: what the package needs and what each drone lacks.

std::string Memory(int64_t bytes) { return bytes > 0 ? api::FormatMemory(bytes) : "unknown"; }

std::vector<std::string> Shortfalls(const Needs& n, const DroneCapacity& d) {
  std::vector<std::string> out;
  if ((n.memory_at_least > 0 && d.memory_bytes < n.memory_at_least) ||
      (n.memory_more_than > 0 && d.memory_bytes <= n.memory_more_than)) {
    out.push_back("memory " + Memory(d.memory_bytes));
  }
  if (n.cores_at_least > 0 && d.cores < n.cores_at_least) {
    out.push_back(d.cores > 0 ? std::to_string(d.cores) + " cores" : "cores unknown");
  }
  if (n.excluded.count(d.name)) out.push_back("returned or failed it");
  return out;
}

// "no drone can take it: needs memory >= 32Gi (requirement dev-qt/qtwebengine);
// none of 2 drones fits (drone-a: memory 16Gi; drone-b: memory 8Gi (grounded))"
std::string BlockedReason(const Needs& n, const std::vector<DroneCapacity>& drones) {
  std::vector<std::string> needs;
  if (n.memory_more_than > 0) {
    needs.push_back("memory > " + Memory(n.memory_more_than) + " (" + n.memory_more_than_from +
                    ")");
  }
  // A learned minimum at or above the requirement makes the requirement moot.
  if (n.memory_at_least > n.memory_more_than) {
    needs.push_back("memory >= " + Memory(n.memory_at_least) + " (" + n.memory_at_least_from + ")");
  }
  if (n.cores_at_least > 0) {
    needs.push_back("cores >= " + std::to_string(n.cores_at_least) + " (" + n.cores_at_least_from +
                    ")");
  }
  std::string out = kNoDroneCanTakeIt;
  if (!needs.empty()) out += "needs " + Join(needs, " and ") + "; ";
  if (drones.empty()) return out + "the roster has no build drones";
  std::vector<std::string> each;
  for (const auto& d : drones) {
    std::string s = d.name + ": " + Join(Shortfalls(n, d), ", ");
    if (!d.eligible && !d.ineligible_reason.empty()) s += " (" + d.ineligible_reason + ")";
    each.push_back(s);
  }
  return out + "none of " + std::to_string(drones.size()) + " drones fits (" + Join(each, "; ") +
         ")";
}

// ---- Priority: the remaining critical path.

// For packages[i], its own estimate plus the longest remaining path among the
// not-Complete packages that depend on it; 0 for Complete packages and later
// duplicates of a name. Kahn's algorithm from the end of the DAG backwards: a
// path is final once every package waiting for it has its own. Members of a
// cycle, and what a cycle waits for, never get there and keep the longest
// path seen from outside the cycle, so the pass always ends.
std::vector<Duration> RemainingPaths(std::span<const api::Package> packages,
                                     const std::unordered_map<std::string, size_t>& index,
                                     const std::map<std::string, Duration>& estimates,
                                     Duration fallback) {
  const size_t n = packages.size();
  std::vector<bool> active(n, false);
  std::vector<Duration> own(n, Duration::zero());
  for (size_t i = 0; i < n; ++i) {
    if (index.at(packages[i].name) != i || packages[i].phase == api::kPhaseComplete) continue;
    active[i] = true;
    auto it = estimates.find(api::PackageKey(packages[i].name));
    own[i] = it != estimates.end() ? it->second : fallback;
  }
  // deps[i]: the active packages i waits for; waiting[j]: how many active
  // packages waiting for j have no final path yet.
  std::vector<std::vector<size_t>> deps(n);
  std::vector<int> waiting(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (!active[i]) continue;
    std::set<size_t> unique;
    for (const auto& dep : packages[i].dependencies) {
      auto it = index.find(dep);
      if (it != index.end() && active[it->second]) unique.insert(it->second);
    }
    deps[i].assign(unique.begin(), unique.end());
    for (size_t j : deps[i]) ++waiting[j];
  }
  std::vector<Duration> longest_after(n, Duration::zero());
  std::vector<Duration> out(n, Duration::zero());
  std::deque<size_t> final_now;
  for (size_t i = 0; i < n; ++i) {
    if (active[i] && waiting[i] == 0) final_now.push_back(i);
  }
  while (!final_now.empty()) {
    size_t i = final_now.front();
    final_now.pop_front();
    out[i] = own[i] + longest_after[i];
    for (size_t j : deps[i]) {
      longest_after[j] = std::max(longest_after[j], out[i]);
      if (--waiting[j] == 0) final_now.push_back(j);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (active[i] && waiting[i] > 0) out[i] = own[i] + longest_after[i];
  }
  return out;
}

// ---- Dispatch.

bool DependenciesComplete(const api::Package& p, std::span<const api::Package> packages,
                          const std::unordered_map<std::string, size_t>& index) {
  return std::all_of(p.dependencies.begin(), p.dependencies.end(), [&](const std::string& dep) {
    auto it = index.find(dep);
    return it == index.end() || packages[it->second].phase == api::kPhaseComplete;
  });
}

// The eligible drones with a free slot, best first: where a new build gets the
// largest share of speed, ties to the earlier drone. A package goes to the
// first that fits it, so a pass costs O(log drones) per assignment when most
// drones fit most packages, and ends as soon as every slot is taken.
class OpenDrones {
 public:
  explicit OpenDrones(const std::vector<DroneCapacity>& drones) : drones_(drones) {
    for (size_t i = 0; i < drones.size(); ++i) {
      running_.push_back(drones[i].running);
      if (drones[i].eligible) Open(i);
    }
  }
  bool empty() const { return open_.empty(); }

  // Takes a slot on the best drone that fits; nullopt when none does.
  std::optional<size_t> Take(const Needs& needs) {
    for (auto it = open_.begin(); it != open_.end(); ++it) {
      const size_t i = it->second;
      if (!Fits(needs, drones_[i])) continue;
      open_.erase(it);
      ++running_[i];
      Open(i);
      return i;
    }
    return std::nullopt;
  }

 private:
  void Open(size_t i) {
    const DroneCapacity& d = drones_[i];
    if (running_[i] >= SlotsFor(d.cores)) return;
    open_.insert({-d.speed / (running_[i] + 1), i});
  }
  const std::vector<DroneCapacity>& drones_;
  std::vector<int> running_;
  std::set<std::pair<double, size_t>> open_;  // (-share, index)
};

}  // namespace

int SlotsFor(int cores) { return std::max(1, cores / 8); }

bool PackageFits(const api::Package& p, const std::vector<api::Requirement>& requirements,
                 const DroneCapacity& drone) {
  std::map<std::string, PackageDemand> learned;
  if (p.needs_memory_over > 0) learned[p.name] = {p.needs_memory_over, p.needs_memory_cause};
  return Fits(NeedsOf(p, requirements, learned), drone);
}

bool IsCapacityBlocked(const api::Package& p) {
  return p.phase == api::kPhaseBlocked && p.reason.rfind(kNoDroneCanTakeIt, 0) == 0;
}

SchedulingDecision Schedule(const SchedulingInput& in) { return Schedule(in, in.packages); }

SchedulingDecision Schedule(const SchedulingInput& in, std::span<const api::Package> packages) {
  SchedulingDecision out;
  if (!in.queue_current) return out;
  // A name listed twice counts once, as its first entry says; same for drones.
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < packages.size(); ++i) index.emplace(packages[i].name, i);
  std::vector<DroneCapacity> drones;
  std::unordered_set<std::string_view> seen;
  for (const auto& d : in.drones) {
    if (seen.insert(d.name).second) drones.push_back(d);
  }

  std::vector<size_t> ready;
  std::vector<Needs> needs(packages.size());
  for (size_t i = 0; i < packages.size(); ++i) {
    const api::Package& p = packages[i];
    const bool needed = p.phase == api::kPhaseNeeded;
    const bool capacity_blocked = IsCapacityBlocked(p);
    if (index.at(p.name) != i || (!needed && !capacity_blocked)) continue;
    needs[i] = NeedsOf(p, in.requirements, in.learned);
    const bool someone_fits = std::any_of(
        drones.begin(), drones.end(), [&](const DroneCapacity& d) { return Fits(needs[i], d); });
    if (someone_fits) {
      if (capacity_blocked) out.unblocked.push_back(p.name);
      if (needed && DependenciesComplete(p, packages, index)) ready.push_back(i);
      continue;
    }
    std::string reason = BlockedReason(needs[i], drones);
    if (needed || reason != p.reason) out.blocked.push_back({p.name, std::move(reason)});
  }

  out.priority = RemainingPaths(packages, index, in.build_time_estimates, in.default_build_time);
  const std::vector<Duration>& path = out.priority;
  std::stable_sort(ready.begin(), ready.end(),
                   [&](size_t a, size_t b) { return path[a] > path[b]; });
  OpenDrones open(drones);
  for (size_t i : ready) {
    if (open.empty()) break;
    if (auto d = open.Take(needs[i])) out.assignments.push_back({packages[i].name, drones[*d].name});
  }
  return out;
}

}  // namespace swarm::controller

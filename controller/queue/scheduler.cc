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

// Whatever its eligibility, next to `running` builds (0: alone, "could it
// ever"); unknown memory or cores (0) fail any need.
bool Fits(const Needs& n, const DroneCapacity& d, int running) {
  return (n.memory_at_least <= 0 || d.memory_bytes >= n.memory_at_least) &&
         (n.memory_more_than <= 0 || d.memory_bytes / (running + 1) > n.memory_more_than) &&
         (n.cores_at_least <= 0 || d.cores >= n.cores_at_least) && !n.excluded.count(d.name);
}
bool EverFits(const Needs& n, const DroneCapacity& d) { return Fits(n, d, 0); }

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
                                     const std::vector<Duration>& own) {
  const size_t n = packages.size();
  std::vector<bool> active(n, false);
  for (size_t i = 0; i < n; ++i) {
    active[i] = index.at(packages[i].name) == i && packages[i].phase != api::kPhaseComplete;
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

// How long a package is expected to take alone on a drone.
struct Job {
  Duration estimate{0};  // wall time where it was timed (EstimateOf)
  double parallelism = 0;  // cores it can use; 0 unknown
  double cpu_seconds = 0;  // with parallelism
  double SecondsOn(const DroneCapacity& d, double fastest) const {
    if (parallelism > 0 && d.cores > 0) {
      const double per_core = d.speed / d.cores;
      return cpu_seconds / (std::min<double>(parallelism, d.cores) * per_core);
    }
    // Unknown: as if it used every core, timed on the fastest drone.
    return std::chrono::duration<double>(estimate).count() * fastest / d.speed;
  }
  // Sharing drone `d` with others: at its parallelism, else as if on one
  // core of the fastest per-core speed.
  double SecondsAlongside(const DroneCapacity& d, double fastest_per_core) const {
    const double per_core = d.cores > 0 ? d.speed / d.cores : 1;
    if (parallelism > 0 && d.cores > 0) {
      const double share = static_cast<double>(d.cores) / (d.running + 1);
      return cpu_seconds / (std::min(parallelism, share) * per_core);
    }
    return std::chrono::duration<double>(estimate).count() * fastest_per_core / per_core;
  }
};

Job JobOf(const api::Package& p, Duration estimate) {
  Job j;
  j.estimate = estimate;
  if (p.estimated_ms > 0 && p.estimated_cpu_ms > 0) {
    j.parallelism = std::max(1.0, static_cast<double>(p.estimated_cpu_ms) /
                                      static_cast<double>(p.estimated_ms));
    j.cpu_seconds = static_cast<double>(p.estimated_cpu_ms) / 1000;
    // It kept the cores it had busy: it can use that many or more.
    if (p.estimated_cores > 0 && j.parallelism >= kSaturatedShare * p.estimated_cores) {
      j.parallelism = kUnboundedWidth;
    }
  }
  return j;
}

// The mean over the drones of a build's time alone there (Job::SecondsOn
// for a whole-drone build, else SecondsAlongside on an idle drone), in
// O(log drones) per build: the drones sorted by cores, with prefix sums of
// 1 / speed (drones no wider than the build's parallelism: it uses all
// their cores) and suffix sums of 1 / per-core speed (wider ones).
class MeanTime {
 public:
  explicit MeanTime(const std::vector<DroneCapacity>& drones) {
    std::vector<std::pair<int, double>> shapes;  // (cores, per-core speed)
    for (const auto& d : drones) {
      if (d.cores <= 0 || d.speed <= 0) continue;
      shapes.push_back({d.cores, d.speed / d.cores});
      fastest_ = std::max(fastest_, d.speed);
      fastest_per_core_ = std::max(fastest_per_core_, d.speed / d.cores);
    }
    std::sort(shapes.begin(), shapes.end());
    const size_t n = shapes.size();
    cores_.resize(n);
    inv_speed_prefix_.assign(n + 1, 0);
    inv_per_core_suffix_.assign(n + 1, 0);
    for (size_t i = 0; i < n; ++i) {
      cores_[i] = shapes[i].first;
      inv_speed_prefix_[i + 1] = inv_speed_prefix_[i] + 1 / (shapes[i].first * shapes[i].second);
    }
    for (size_t i = n; i-- > 0;) {
      inv_per_core_suffix_[i] = inv_per_core_suffix_[i + 1] + 1 / shapes[i].second;
    }
  }

  // Seconds; -1 with no drone to measure on.
  double Of(const Job& job, bool whole) const {
    const size_t n = cores_.size();
    if (n == 0) return -1;
    if (job.parallelism > 0) {
      // cpu / (min(p, cores) x per-core speed), summed over both kinds.
      const size_t k = std::upper_bound(cores_.begin(), cores_.end(), job.parallelism) -
                       cores_.begin();
      return job.cpu_seconds * (inv_speed_prefix_[k] + inv_per_core_suffix_[k] / job.parallelism) /
             static_cast<double>(n);
    }
    const double estimate = std::chrono::duration<double>(job.estimate).count();
    if (whole) return estimate * fastest_ * inv_speed_prefix_[n] / static_cast<double>(n);
    return estimate * fastest_per_core_ * inv_per_core_suffix_[0] / static_cast<double>(n);
  }

 private:
  std::vector<int> cores_;
  std::vector<double> inv_speed_prefix_;
  std::vector<double> inv_per_core_suffix_;
  double fastest_ = 0, fastest_per_core_ = 0;
};

// The share of a held build's slack (how much sooner its path ends than
// the swarm's remaining work could) that another whole-drone build may use
// on that drone before it. Half: the work bound is a lower bound, and the
// held build's start slips by what goes first.
constexpr double kHoldSlack = 0.5;

// The eligible drones that may start a build, for one pass. critical-path:
// best first where a new build gets the largest share of speed, ties to the
// earlier drone; a package goes to the first that fits and admits it, so a
// pass costs O(log drones) per assignment when most drones fit most
// packages, and ends as soon as every slot is taken. A whole-drone build
// goes where the swarm is expected to end soonest (TakeWhole). fifo: the
// first in input order that fits.
class OpenDrones {
 public:
  OpenDrones(const std::vector<DroneCapacity>& drones, Policy policy)
      : drones_(drones), policy_(policy) {
    for (const auto& d : drones) {
      fastest_ = std::max(fastest_, d.speed);
      if (d.cores > 0) fastest_per_core_ = std::max(fastest_per_core_, d.speed / d.cores);
    }
    for (size_t i = 0; i < drones.size(); ++i) {
      now_.push_back(drones[i]);
      claimed_.push_back(false);
      start_at_.push_back(-1);
      whole_until_.push_back(-1);
      free_at_.push_back(0);
      closed_.push_back(!drones[i].eligible);
      Open(i);
    }
  }
  bool empty() const { return open_.empty(); }

  // Takes a slot on the best drone that fits; nullopt when none does. A
  // drone held for a whole-drone build takes only what ends before that
  // build would start there.
  std::optional<size_t> Take(const Needs& needs, const api::Package& p, const Job& job) {
    for (auto it = open_.begin(); it != open_.end(); ++it) {
      const size_t i = it->second;
      const double width = WidthOf(p, now_[i], false);
      if (!Fits(needs, now_[i], now_[i].running) || !Admits(now_[i], width, policy_)) continue;
      if (start_at_[i] >= 0 && job.SecondsAlongside(now_[i], fastest_per_core_) > start_at_[i]) {
        continue;
      }
      open_.erase(it);
      Start(i, width);
      return i;
    }
    return std::nullopt;
  }

  // A build that needs a whole drone: the eligible drone that fits where
  // the swarm is expected to end soonest with it there. That is the later of
  // the build's end there (counting the wait for what runs there when that
  // drone cannot start it now) plus `tail`, the rest of its path, and
  // `work_end`, when the swarm's remaining work ends at full `capacity`,
  // plus the cores the build leaves idle there over that capacity: a
  // 24-core build alone on a 32-core drone costs the swarm 8 cores for its
  // whole run. Ties go to a drone that starts it now, then to the sooner
  // end, then to the smaller drone.
  // A drone held for another whole-drone build of this pass takes this one
  // first only if it ends within kHoldSlack of that build's slack; else
  // this one would start when the held one (and any queued behind it)
  // ends, and if that is best it waits (nullopt, nothing held).
  // Started there, or (nullopt) that drone is held for it: `*held` says
  // which and in how many seconds the build would start there; until then
  // it takes only builds that end sooner.
  // `ready_in` > 0: the package is not ready yet, only expected to be in
  // that many seconds; it can only hold a drone.
  std::optional<size_t> TakeWhole(const Needs& needs, const api::Package& p, const Job& job,
                                  double ready_in, double tail, double work_end, double capacity,
                                  std::optional<std::pair<size_t, double>>* held) {
    std::optional<size_t> best;
    double best_end = 0, best_start = 0, best_cost = 0;
    bool best_after = false, best_now = false;
    for (size_t i = 0; i < drones_.size(); ++i) {
      const DroneCapacity& d = now_[i];
      if (!d.eligible || !Fits(needs, d, 0) || d.speed <= 0) continue;
      const bool now = !closed_[i] && Admits(d, WidthOf(p, d, true), policy_) &&
                       Fits(needs, d, d.running);
      const double wait = now ? 0 : std::chrono::duration<double>(d.busy_for).count();
      double start = std::max(wait, ready_in);
      const double seconds = job.SecondsOn(d, fastest_);
      double end = start + seconds;
      bool after = false;  // queued behind the build held there
      if (claimed_[i] && (ready_in > 0 || end > whole_until_[i])) {
        after = true;
        start = std::max(ready_in, free_at_[i]);
        end = start + seconds;
      }
      const double used = job.parallelism > 0
                              ? std::min<double>(job.parallelism, d.cores) * d.speed / d.cores
                              : d.speed;
      const double idle = (d.speed - used) * seconds;
      const double cost = std::max(end + tail, work_end + (capacity > 0 ? idle / capacity : 0));
      const bool starts_now = start <= 0 && !after && now;
      if (!best || cost < best_cost - 1e-9 ||
          (cost <= best_cost + 1e-9 &&
           (starts_now > best_now ||
            (starts_now == best_now &&
             (end < best_end - 1e-9 || (end <= best_end + 1e-9 && d.speed < now_[*best].speed)))))) {
        best = i;
        best_end = end;
        best_start = start;
        best_cost = cost;
        best_after = after;
        best_now = starts_now;
      }
    }
    if (!best) return std::nullopt;
    const size_t i = *best;
    if (best_after) {
      free_at_[i] = best_end;
      return std::nullopt;
    }
    // Going first on a held drone delays the build held there by as much
    // as this one ends after that one would have started.
    const bool first = claimed_[i];
    if (first) free_at_[i] += std::max(0.0, best_end - start_at_[i]);
    const double width = WidthOf(p, now_[i], true);
    if (ready_in <= 0 && !closed_[i] && Admits(now_[i], width, policy_) &&
        Fits(needs, now_[i], now_[i].running)) {
      open_.erase(Key(i));
      Start(i, width);
      return i;
    }
    if (first) {
      start_at_[i] = std::min(start_at_[i], best_start);
    } else {
      claimed_[i] = true;
      start_at_[i] = best_start;
      whole_until_[i] = best_start + std::max(0.0, work_end - (best_end + tail)) * kHoldSlack;
      free_at_[i] = best_end;
    }
    *held = std::make_pair(i, best_start);
    return std::nullopt;
  }

 private:
  std::pair<double, size_t> Key(size_t i) const {
    if (policy_ == Policy::kFifo) return {0, i};
    return {-now_[i].speed / (now_[i].running + 1), i};
  }
  void Start(size_t i, double width) {
    ++now_[i].running;
    now_[i].widest = std::max(now_[i].widest, width);
    Open(i);
  }
  // Open when one more one-core build could start there.
  void Open(size_t i) {
    if (closed_[i] || !Admits(now_[i], 1, policy_)) return;
    open_.insert(Key(i));
  }
  const std::vector<DroneCapacity>& drones_;
  const Policy policy_;
  double fastest_ = 0;
  double fastest_per_core_ = 0;
  std::vector<double> free_at_;  // held: seconds until its build (and any queued behind) ends
  std::vector<double> whole_until_;  // held: a whole-drone build ending by then may go first
  std::vector<double> start_at_;  // held: seconds until its whole-drone build starts; else -1
  std::vector<DroneCapacity> now_;  // as this pass's assignments leave them
  std::vector<bool> closed_;
  std::vector<bool> claimed_;  // held for a whole-drone build of this pass
  std::set<std::pair<double, size_t>> open_;  // Key(i): (-share or 0, index)
};

}  // namespace

Duration DurationAlongside(const api::Package& p, Duration estimate, const DroneCapacity& d,
                           double fastest_per_core) {
  const double s = JobOf(p, estimate).SecondsAlongside(d, fastest_per_core);
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

Duration DurationOn(const api::Package& p, Duration estimate, const DroneCapacity& d, bool whole,
                    double fastest, double fastest_per_core) {
  const Job job = JobOf(p, estimate);
  // How a build of unknown width scales with a drone is unknown too.
  if (job.parallelism <= 0) return estimate;
  double s = 0;
  if (whole) {
    s = job.SecondsOn(d, fastest);
  } else {
    DroneCapacity others = d;
    others.running = std::max(0, d.running - 1);
    s = job.SecondsAlongside(others, fastest_per_core);
  }
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

Policy PolicyFromSpec(const std::string& scheduling) {
  return scheduling == api::kSchedulingFifo ? Policy::kFifo : Policy::kCriticalPath;
}

double WidthOf(const api::Package& p, const DroneCapacity& d, bool whole) {
  const double cores = std::max(d.cores, 1);
  const Job job = JobOf(p, Duration(0));
  if (job.parallelism > 0) return std::min(job.parallelism, cores);
  return whole ? cores : 1;
}

bool Admits(const DroneCapacity& d, double width, Policy policy) {
  if (d.running + 1 > SlotsFor(d, policy) || d.memory_full) return false;
  if (policy == Policy::kFifo) return true;
  const double widest = std::max({d.widest, width, 1.0});
  return d.running + 1 <= static_cast<int>(std::max(d.cores, 1) / widest + 1e-9);
}

int SlotsFor(const DroneCapacity& d, Policy policy) {
  if (policy == Policy::kFifo) return std::max(1, d.cores / 8);
  constexpr int64_t kMemoryPerSlot = int64_t{2} << 30;
  const int64_t by_memory = d.memory_bytes > 0 ? d.memory_bytes / kMemoryPerSlot : d.cores;
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(d.cores, by_memory)));
}

bool IsLongBuild(Duration estimate) { return estimate >= kLongBuild; }

bool Timed(const api::Package& p, int64_t last_build_ms) {
  return last_build_ms > 0 || p.estimated_ms > 0;
}

bool NeedsWholeDrone(const api::Package& p, bool timed, Duration estimate, Duration path,
                     Duration longest) {
  if (!timed) return false;
  const Job job = JobOf(p, estimate);
  if (job.parallelism > 0 && job.parallelism < 1.5) return false;
  return IsLongBuild(estimate) ||
         (longest.count() > 0 && static_cast<double>(path.count()) >=
                                     kCriticalShare * static_cast<double>(longest.count()));
}

Duration EstimateOf(const api::Package& p, int64_t last_build_ms, Duration fallback) {
  if (last_build_ms > 0) return Duration(last_build_ms);
  if (p.estimated_ms > 0) return Duration(p.estimated_ms);
  return fallback;
}

bool PackageFits(const api::Package& p, const std::vector<api::Requirement>& requirements,
                 const DroneCapacity& drone) {
  std::map<std::string, PackageDemand> learned;
  if (p.needs_memory_over > 0) learned[p.name] = {p.needs_memory_over, p.needs_memory_cause};
  return Fits(NeedsOf(p, requirements, learned), drone, drone.running);
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
  std::vector<size_t> coming;  // Needed, not ready
  std::vector<Needs> needs(packages.size());
  for (size_t i = 0; i < packages.size(); ++i) {
    const api::Package& p = packages[i];
    const bool needed = p.phase == api::kPhaseNeeded;
    const bool capacity_blocked = IsCapacityBlocked(p);
    if (index.at(p.name) != i || (!needed && !capacity_blocked)) continue;
    needs[i] = NeedsOf(p, in.requirements, in.learned);
    const bool someone_fits = std::any_of(drones.begin(), drones.end(),
                                          [&](const DroneCapacity& d) { return EverFits(needs[i], d); });
    if (someone_fits) {
      if (capacity_blocked) out.unblocked.push_back(p.name);
      if (needed && DependenciesComplete(p, packages, index)) {
        ready.push_back(i);
      } else if (needed) {
        coming.push_back(i);
      }
      continue;
    }
    std::string reason = BlockedReason(needs[i], drones);
    if (needed || reason != p.reason) out.blocked.push_back({p.name, std::move(reason)});
  }

  std::vector<Duration> estimate(packages.size(), Duration::zero());
  std::vector<bool> timed(packages.size(), false);
  for (size_t i = 0; i < packages.size(); ++i) {
    auto it = in.build_time_estimates.find(api::PackageKey(packages[i].name));
    const int64_t last = it != in.build_time_estimates.end() ? it->second.count() : 0;
    estimate[i] = EstimateOf(packages[i], last, in.default_build_time);
    timed[i] = Timed(packages[i], last);
  }
  OpenDrones open(drones, in.policy);
  for (const auto& d : drones) {
    if (d.cores > 0) out.fastest_per_core = std::max(out.fastest_per_core, d.speed / d.cores);
    out.fastest = std::max(out.fastest, d.speed);
  }
  if (in.policy == Policy::kFifo) {
    out.priority.assign(packages.size(), Duration::zero());
    for (size_t i : ready) {
      if (open.empty()) break;
      if (auto d = open.Take(needs[i], packages[i], JobOf(packages[i], estimate[i]))) {
        out.assignments.push_back({packages[i].name, drones[*d].name});
      }
    }
    return out;
  }
  // Each package's own part of a path: its mean time alone over the drones,
  // so that what only a big drone builds quickly counts for more than what
  // any drone builds alike. O(log drones) per package.
  std::vector<Duration> own(packages.size(), Duration::zero());
  // With it, the CPU time of the work left (Needed and Building packages,
  // whole; one core at the fastest per-core speed where the width is
  // unknown).
  const MeanTime mean(drones);
  double remaining = 0;
  for (size_t i = 0; i < packages.size(); ++i) {
    const Job job = JobOf(packages[i], estimate[i]);
    const double s = mean.Of(job, timed[i] && IsLongBuild(estimate[i]));
    own[i] = s >= 0 ? std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s))
                    : estimate[i];
    if (packages[i].phase == api::kPhaseNeeded || packages[i].phase == api::kPhaseBuilding) {
      remaining += job.parallelism > 0
                       ? job.cpu_seconds
                       : std::chrono::duration<double>(estimate[i]).count() * out.fastest_per_core;
    }
  }
  out.priority = RemainingPaths(packages, index, own);
  const std::vector<Duration>& path = out.priority;
  for (const Duration& p : path) out.longest = std::max(out.longest, p);
  // A whole-drone package whose last dependencies are building is coming:
  // it may hold its drone now, so that less urgent work does not take it.
  std::vector<double> ready_in(packages.size(), 0);
  std::unordered_map<std::string_view, size_t> by_name;
  for (size_t i = 0; i < drones.size(); ++i) by_name.emplace(drones[i].name, i);
  for (size_t i : coming) {
    if (!NeedsWholeDrone(packages[i], timed[i], estimate[i], path[i], out.longest)) continue;
    double in_s = 0;
    bool soon = true;
    for (const auto& dep : packages[i].dependencies) {
      auto it = index.find(dep);
      if (it == index.end()) continue;
      const api::Package& d = packages[it->second];
      if (d.phase == api::kPhaseComplete) continue;
      if (d.phase != api::kPhaseBuilding || !d.started_at) {
        soon = false;
        break;
      }
      const double ran = std::chrono::duration<double>(in.now - *d.started_at).count();
      // At the speed of the drone that builds it.
      Duration expected = estimate[it->second];
      if (auto on = by_name.find(d.drone); on != by_name.end()) {
        const size_t j = it->second;
        expected = DurationOn(d, estimate[j], drones[on->second],
                              NeedsWholeDrone(d, timed[j], estimate[j], path[j], out.longest),
                              out.fastest, out.fastest_per_core);
      }
      in_s = std::max(in_s, std::chrono::duration<double>(expected).count() - ran);
    }
    if (!soon) continue;
    ready_in[i] = std::max(in_s, 1e-3);
    ready.push_back(i);
  }
  std::stable_sort(ready.begin(), ready.end(),
                   [&](size_t a, size_t b) { return path[a] > path[b]; });
  // When the work left would end on every eligible drone's cores:
  // TakeWhole weighs idle cores by it.
  double capacity = 0;
  for (const auto& d : drones) {
    if (d.eligible) capacity += d.speed;
  }
  const double work_end = capacity > 0 ? remaining / capacity : 0;
  out.work_left = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(work_end));
  int held_while_full = 0;
  for (size_t i : ready) {
    const bool whole = NeedsWholeDrone(packages[i], timed[i], estimate[i], path[i], out.longest);
    // With every slot taken, only the most urgent whole-drone build still
    // holds a drone for itself.
    if (open.empty() && (!whole || held_while_full++ > 0)) break;
    std::optional<size_t> d;
    if (whole) {
      std::optional<std::pair<size_t, double>> held;
      const double tail = std::chrono::duration<double>(path[i] - own[i]).count();
      d = open.TakeWhole(needs[i], packages[i], JobOf(packages[i], estimate[i]), ready_in[i],
                         tail, work_end, capacity, &held);
      if (held) {
        out.held.push_back({drones[held->first].name,
                            std::chrono::duration_cast<Duration>(
                                std::chrono::duration<double>(held->second)),
                            packages[i].name});
      }
    } else {
      d = open.Take(needs[i], packages[i], JobOf(packages[i], estimate[i]));
    }
    if (d) out.assignments.push_back({packages[i].name, drones[*d].name});
  }
  return out;
}

}  // namespace swarm::controller

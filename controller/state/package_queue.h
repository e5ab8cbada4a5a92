#pragma once

// The build queue in memory, with the indexes that keep every per-request
// question O(its own answer): a package by name, the packages Building on a
// drone, the package under an assignment id, the last build time of a
// cat/pn, and the ready set (Needed packages whose in-queue dependencies are
// all Complete) in priority order, kept up to date as packages change phase,
// so that handing a drone its next build never walks the whole queue.
//
// Every change of a package goes through Set(), and a new queue through
// Replace(): the indexes cannot drift from the packages.
// Thread safety: none; the controller serializes calls.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/protocol.h"
#include "base/clock.h"

namespace swarm::controller {

class PackageQueue {
 public:
  // Replaces the whole queue (queue order) and rebuilds every index: O(Q).
  // Priorities start at 0 until the next SetPriorities.
  void Replace(std::vector<api::Package> packages);
  // Replaces package `i`, keeping every index and the ready set true. O(log Q
  // + its dependents).
  void Set(size_t i, api::Package next);

  const std::vector<api::Package>& packages() const { return packages_; }
  const api::Package& operator[](size_t i) const { return packages_[i]; }
  std::vector<api::Package>::const_iterator begin() const { return packages_.begin(); }
  std::vector<api::Package>::const_iterator end() const { return packages_.end(); }
  size_t size() const { return packages_.size(); }
  bool empty() const { return packages_.empty(); }

  // The first package of that name, or nullopt.
  std::optional<size_t> IndexOf(const std::string& name) const;
  // The package Building on `drone` under `assignment`, or nullopt.
  std::optional<size_t> FindAssignment(const std::string& drone,
                                       const std::string& assignment) const;
  // Indices of the packages Building on `drone`, in queue order.
  const std::set<size_t>& BuildingOn(const std::string& drone) const;
  // How long the most recent successful build of `key` (cat/pn) took; 0 unknown.
  int64_t LastBuildMs(const std::string& key) const;

  // Priorities (the scheduler's remaining critical path, one per package);
  // the ready set is ordered by them, highest first, ties in queue order.
  void SetPriorities(const std::vector<Duration>& priority);
  // Package `i`'s priority as last set; 0 before any.
  Duration Priority(size_t i) const { return Duration(priority_ms_[i]); }
  // Calls `visit` with each ready package's index, highest priority first,
  // until it returns false.
  void ForEachReady(const std::function<bool(size_t)>& visit) const;
  size_t ReadyCount() const { return ready_.size(); }
  // Whether package `i` is in the ready set. O(log Q).
  bool IsReady(size_t i) const { return ready_.count({-priority_ms_[i], i}) > 0; }

 private:
  bool DependenciesComplete(size_t i) const;
  void Unindex(size_t i);
  void Index(size_t i);
  void UpdateReady(size_t i);

  std::vector<api::Package> packages_;
  std::unordered_map<std::string, size_t> by_name_;
  std::unordered_map<std::string, std::set<size_t>> building_;  // drone -> indices
  std::unordered_map<std::string, size_t> by_assignment_;        // of Building packages
  std::unordered_map<std::string, int64_t> last_build_ms_;       // cat/pn -> ms
  std::vector<std::vector<size_t>> dependencies_;                // in-queue, by index
  std::vector<std::vector<size_t>> dependents_;
  std::vector<int64_t> priority_ms_;
  std::set<std::pair<int64_t, size_t>> ready_;  // (-priority, index)
};

}  // namespace swarm::controller

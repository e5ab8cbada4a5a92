#include "controller/state/package_queue.h"

#include <algorithm>

#include "api/cpv.h"

namespace swarm::controller {

void PackageQueue::Replace(std::vector<api::Package> packages) {
  packages_ = std::move(packages);
  by_name_.clear();
  building_.clear();
  by_assignment_.clear();
  last_build_ms_.clear();
  ready_.clear();
  const size_t n = packages_.size();
  dependencies_.assign(n, {});
  dependents_.assign(n, {});
  priority_ms_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) by_name_.emplace(packages_[i].name, i);
  for (size_t i = 0; i < n; ++i) {
    std::set<size_t> unique;
    for (const auto& dep : packages_[i].dependencies) {
      auto it = by_name_.find(dep);
      if (it != by_name_.end() && it->second != i) unique.insert(it->second);
    }
    dependencies_[i].assign(unique.begin(), unique.end());
    for (size_t d : dependencies_[i]) dependents_[d].push_back(i);
  }
  for (size_t i = 0; i < n; ++i) Index(i);
  for (size_t i = 0; i < n; ++i) UpdateReady(i);
}

void PackageQueue::Set(size_t i, api::Package next) {
  const bool was_complete = packages_[i].phase == api::kPhaseComplete;
  Unindex(i);
  packages_[i] = std::move(next);
  Index(i);
  UpdateReady(i);
  // Whether its dependents are ready turns on whether it is Complete.
  if (was_complete != (packages_[i].phase == api::kPhaseComplete)) {
    for (size_t j : dependents_[i]) UpdateReady(j);
  }
}

void PackageQueue::Unindex(size_t i) {
  const api::Package& p = packages_[i];
  if (p.phase != api::kPhaseBuilding) return;
  auto it = building_.find(p.drone);
  if (it != building_.end()) {
    it->second.erase(i);
    if (it->second.empty()) building_.erase(it);
  }
  auto a = by_assignment_.find(p.assignment);
  if (a != by_assignment_.end() && a->second == i) by_assignment_.erase(a);
}

void PackageQueue::Index(size_t i) {
  const api::Package& p = packages_[i];
  if (p.phase == api::kPhaseBuilding) {
    building_[p.drone].insert(i);
    if (!p.assignment.empty()) by_assignment_[p.assignment] = i;
  }
  if (p.phase == api::kPhaseComplete && p.build_ms > 0) {
    last_build_ms_[api::PackageKey(p.name)] = p.build_ms;
  }
}

bool PackageQueue::DependenciesComplete(size_t i) const {
  return std::all_of(dependencies_[i].begin(), dependencies_[i].end(),
                     [&](size_t d) { return packages_[d].phase == api::kPhaseComplete; });
}

void PackageQueue::UpdateReady(size_t i) {
  const bool first_of_name = by_name_.at(packages_[i].name) == i;
  const bool ready =
      first_of_name && packages_[i].phase == api::kPhaseNeeded && DependenciesComplete(i);
  if (ready) {
    ready_.insert({-priority_ms_[i], i});
  } else {
    ready_.erase({-priority_ms_[i], i});
  }
}

std::optional<size_t> PackageQueue::IndexOf(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::optional<size_t> PackageQueue::FindAssignment(const std::string& drone,
                                                   const std::string& assignment) const {
  auto it = by_assignment_.find(assignment);
  if (it == by_assignment_.end()) return std::nullopt;
  const api::Package& p = packages_[it->second];
  if (p.phase != api::kPhaseBuilding || p.drone != drone) return std::nullopt;
  return it->second;
}

const std::set<size_t>& PackageQueue::BuildingOn(const std::string& drone) const {
  static const std::set<size_t> kNone;
  auto it = building_.find(drone);
  return it == building_.end() ? kNone : it->second;
}

int64_t PackageQueue::LastBuildMs(const std::string& key) const {
  auto it = last_build_ms_.find(key);
  return it == last_build_ms_.end() ? 0 : it->second;
}

void PackageQueue::SetPriorities(const std::vector<Duration>& priority) {
  std::vector<size_t> ready;
  ready.reserve(ready_.size());
  for (const auto& [neg, i] : ready_) ready.push_back(i);
  ready_.clear();
  for (size_t i = 0; i < packages_.size(); ++i) {
    priority_ms_[i] = i < priority.size() ? priority[i].count() : 0;
  }
  for (size_t i : ready) ready_.insert({-priority_ms_[i], i});
}

void PackageQueue::ForEachReady(const std::function<bool(size_t)>& visit) const {
  for (const auto& [neg, i] : ready_) {
    if (!visit(i)) return;
  }
}

}  // namespace swarm::controller

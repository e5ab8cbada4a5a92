#include "controller/state/watch_log.h"

#include <cinttypes>
#include <cstdio>
#include <random>
#include <unordered_set>

#include "controller/state/package_queue.h"

namespace swarm::controller {
namespace {

std::string RandomEpoch() {
  std::random_device random;
  char text[12];
  std::snprintf(text, sizeof text, "%08x", random());
  return text;
}

}  // namespace

const char* WatchChangeName(WatchChange c) {
  switch (c) {
    case WatchChange::kAdded:
      return "ADDED";
    case WatchChange::kModified:
      return "MODIFIED";
    case WatchChange::kDeleted:
      return "DELETED";
  }
  return "MODIFIED";
}

WatchLog::WatchLog(size_t capacity) : capacity_(capacity), epoch_(RandomEpoch()) {}

std::string WatchLog::VersionText(uint64_t v) const { return epoch_ + "." + std::to_string(v); }

std::string WatchLog::ResourceVersion() const {
  std::lock_guard<std::mutex> l(mu_);
  return VersionText(version_);
}

uint64_t WatchLog::Current() const {
  std::lock_guard<std::mutex> l(mu_);
  return version_;
}

Result<uint64_t> WatchLog::Parse(const std::string& text) const {
  const size_t dot = text.find('.');
  uint64_t v = 0;
  bool number = dot != std::string::npos && dot + 1 < text.size() && text.size() - dot <= 21;
  for (size_t i = dot + 1; number && i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') number = false;
  }
  if (!number) {
    return InvalidArgument("resourceVersion \"" + text +
                           "\" is not one this API gave (list again and watch from its "
                           "metadata.resourceVersion)");
  }
  v = std::strtoull(text.c_str() + dot + 1, nullptr, 10);
  std::lock_guard<std::mutex> l(mu_);
  if (text.compare(0, dot, epoch_) != 0) {
    return Expired("resourceVersion " + text +
                   " is from an earlier run of the controller; list again");
  }
  if (v > version_) {
    return InvalidArgument("resourceVersion " + text + " is newer than the controller's " +
                           VersionText(version_));
  }
  if (v < expired_through_) {
    return Expired("resourceVersion " + text + " is too old (changes are kept from " +
                   VersionText(expired_through_) + "); list again");
  }
  return v;
}

bool WatchLog::Wait(uint64_t since, WatchKind kind,
                    std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> l(mu_);
  // Scans each change once: `seen` moves past what was looked at.
  uint64_t seen = since;
  auto found = [&] {
    if (closed_) return true;
    if (seen < expired_through_) return true;  // Since() answers Expired
    for (auto it = entries_.rbegin(); it != entries_.rend() && it->version > seen; ++it) {
      if (it->kind == kind) return true;
    }
    seen = version_;
    return false;
  };
  changed_.wait_until(l, deadline, found);
  return !closed_ && (seen < expired_through_ || seen < version_);
}

Result<std::vector<WatchEntry>> WatchLog::Since(uint64_t since, WatchKind kind) const {
  std::lock_guard<std::mutex> l(mu_);
  if (since < expired_through_) {
    return Expired("resourceVersion " + VersionText(since) + " is too old (changes are kept from " +
                   VersionText(expired_through_) + "); list again");
  }
  std::vector<WatchEntry> out;
  auto it = entries_.end();
  while (it != entries_.begin() && std::prev(it)->version > since) --it;
  for (; it != entries_.end(); ++it) {
    if (it->kind == kind) out.push_back(*it);
  }
  return out;
}

void WatchLog::Close() {
  {
    std::lock_guard<std::mutex> l(mu_);
    closed_ = true;
  }
  changed_.notify_all();
}

void WatchLog::AppendLocked(WatchKind kind, WatchChange change, std::string name,
                            std::optional<api::Event> event) {
  entries_.push_back({++version_, kind, change, std::move(name), std::move(event)});
  if (entries_.size() > capacity_) {
    expired_through_ = entries_.front().version;
    entries_.pop_front();
  }
  pending_ = true;
}

void WatchLog::ExpireAllLocked() {
  entries_.clear();
  expired_through_ = ++version_;
  pending_ = true;
}

void WatchLog::PackageChanged(const api::Package& before, const api::Package& after) {
  std::lock_guard<std::mutex> l(mu_);
  AppendLocked(WatchKind::kPackage, WatchChange::kModified, after.name);
  // A Drone lists the builds it holds: a build that starts or ends there
  // changes it too.
  auto holder = [](const api::Package& p) {
    return p.phase == api::kPhaseBuilding ? p.drone : std::string();
  };
  const std::string was = holder(before), is = holder(after);
  if (was == is) return;
  if (!was.empty()) AppendLocked(WatchKind::kDrone, WatchChange::kModified, was);
  if (!is.empty()) AppendLocked(WatchKind::kDrone, WatchChange::kModified, is);
}

void WatchLog::QueueReplaced(const std::vector<api::Package>& before, const PackageQueue& after) {
  std::lock_guard<std::mutex> l(mu_);
  // A queue discovered afresh is one change per package: past half the log,
  // watchers list again instead.
  if (before.size() + after.size() > capacity_ / 2) return ExpireAllLocked();
  std::unordered_set<std::string> old;
  for (const auto& p : before) old.insert(p.name);
  for (const auto& p : after.packages()) {
    const bool existed = old.erase(p.name) > 0;
    AppendLocked(WatchKind::kPackage, existed ? WatchChange::kModified : WatchChange::kAdded,
                 p.name);
  }
  for (const auto& p : before) {
    if (old.count(p.name)) AppendLocked(WatchKind::kPackage, WatchChange::kDeleted, p.name);
  }
}

void WatchLog::EventRecorded(const api::Event& e) {
  std::lock_guard<std::mutex> l(mu_);
  AppendLocked(WatchKind::kEvent, e.count > 1 ? WatchChange::kModified : WatchChange::kAdded,
               e.object_kind + "/" + e.object_name, e);
}

void WatchLog::DroneChanged(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  AppendLocked(WatchKind::kDrone, WatchChange::kModified, name);
}

void WatchLog::SwarmChanged(const api::Swarm& after) {
  std::lock_guard<std::mutex> l(mu_);
  const bool first = !roster_generation_.has_value();
  AppendLocked(WatchKind::kSwarm, first ? WatchChange::kAdded : WatchChange::kModified,
               after.metadata.name);
  if (roster_generation_ == after.metadata.generation) return;
  // A new spec: drones join or leave the roster, and a member's labels are
  // part of its Drone.
  roster_generation_ = after.metadata.generation;
  std::set<std::string> now;
  for (const auto& d : after.spec.drones) now.insert(d.name);
  for (const auto& name : now) {
    AppendLocked(WatchKind::kDrone,
                 roster_.count(name) ? WatchChange::kModified : WatchChange::kAdded, name);
  }
  for (const auto& name : roster_) {
    if (!now.count(name)) AppendLocked(WatchKind::kDrone, WatchChange::kDeleted, name);
  }
  roster_ = std::move(now);
}

void WatchLog::Loaded(const SwarmState& state) {
  std::lock_guard<std::mutex> l(mu_);
  roster_.clear();
  roster_generation_.reset();
  if (!state.swarm) return;
  roster_generation_ = state.swarm->metadata.generation;
  for (const auto& d : state.swarm->spec.drones) roster_.insert(d.name);
}

void WatchLog::Committed() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!pending_) return;
    pending_ = false;
  }
  changed_.notify_all();
}

}  // namespace swarm::controller

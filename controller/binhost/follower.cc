#include "controller/binhost/follower.h"

#include <spdlog/spdlog.h>

#include <set>

namespace swarm::controller {
namespace {

bool Listed(const api::Package& p) { return p.phase == api::kPhaseComplete && p.binpkg; }

// What the index lists of listed package `p`: its file as the controller
// received it, and its drone's entry for the rest.
PublishedPackage PublishedOf(const api::Package& p) {
  return {p.name, p.binpkg->path, p.index_entry,
          BinpkgDigests{p.binpkg->md5, p.binpkg->sha1, p.binpkg->sha256}};
}

}  // namespace

BinhostFollower::BinhostFollower(Binhost* binhost, Clock* clock, Duration debounce,
                                 bool index_thread)
    : binhost_(binhost),
      index_(std::make_unique<BinhostIndexWriter>(binhost->dir(), clock, debounce,
                                                  index_thread)) {}

void BinhostFollower::Reset(const PackageQueue& queue) {
  std::vector<PublishedPackage> published;
  for (const auto& p : queue) {
    if (Listed(p)) published.push_back(PublishedOf(p));
  }
  index_->Reset(std::move(published));
}

void BinhostFollower::Discard(const std::string& assignment) {
  if (Status d = binhost_->Discard(assignment); !d.ok()) {
    spdlog::warn("discarding the staged upload of {}: {}", assignment, d.ToString());
  }
}

void BinhostFollower::PackageChanged(const api::Package& before, const api::Package& after) {
  // An assignment that ended leaves nothing staged behind (a success's
  // upload was moved out of staging by Publish already).
  if (!before.assignment.empty() && before.assignment != after.assignment) {
    Discard(before.assignment);
  }
  if (before.binpkg && (!after.binpkg || after.binpkg->path != before.binpkg->path)) {
    garbage_hint_ = true;
  }
  const bool was_listed = Listed(before);
  if (Listed(after) && (!was_listed || before.binpkg != after.binpkg ||
                        before.index_entry != after.index_entry)) {
    index_->Put(PublishedOf(after));
  } else if (was_listed && !Listed(after)) {
    index_->Remove(after.name);
  }
}

void BinhostFollower::QueueReplaced(const std::vector<api::Package>& before,
                                    const PackageQueue& after) {
  std::set<std::string> held;
  garbage_hint_ = true;
  for (const auto& p : after) held.insert(p.assignment);
  for (const auto& p : before) {
    if (!p.assignment.empty() && !held.count(p.assignment)) Discard(p.assignment);
  }
  Reset(after);
}

void BinhostFollower::ReleasesChanged(const std::vector<api::Release>& after) {
  index_timestamps_.clear();
  for (const auto& r : after) index_timestamps_[r.name] = r.index_timestamp;
  current_changed_ = true;
}

void BinhostFollower::SwarmChanged(const api::Swarm& after) {
  if (after.status.release.promoted == promoted_) return;
  promoted_ = after.status.release.promoted;
  current_changed_ = true;
}

void BinhostFollower::Committed() {
  if (!current_changed_) return;
  current_changed_ = false;
  auto it = index_timestamps_.find(promoted_);
  if (it == index_timestamps_.end()) {
    binhost_->SetCurrent("", 0);
  } else {
    binhost_->SetCurrent(promoted_, it->second);
  }
}

void BinhostFollower::Loaded(const SwarmState& state) {
  ReleasesChanged(state.releases);
  promoted_ = state.swarm ? state.swarm->status.release.promoted : "";
  Committed();
}

}  // namespace swarm::controller

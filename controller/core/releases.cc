// SwarmController's releases (docs/operations.md, "Releases"): the pass that
// cuts, verifies, promotes and prunes them from the binhost key, and the
// operator's reads and verbs. Decisions are the pure functions of
// reconcilers/releases.h; the disk work (binhost/releases.h) runs outside
// the lock, on the binhost key's one worker.

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/conditions.h"
#include "api/events.h"
#include "controller/binhost/releases.h"
#include "controller/core/swarm_controller.h"

namespace swarm::controller {
namespace {

// Problems named in one event: the rest are counted.
constexpr size_t kProblemsNamed = 5;

std::string ProblemsText(const std::vector<BinhostProblem>& problems) {
  std::string out;
  for (size_t i = 0; i < problems.size() && i < kProblemsNamed; ++i) {
    out += (i ? "; " : "") + problems[i].package + ": " + problems[i].what;
  }
  if (problems.size() > kProblemsNamed) {
    out += "; and " + std::to_string(problems.size() - kProblemsNamed) + " more";
  }
  return out;
}

// `releases` with `c`'s release changes applied, oldest first.
std::vector<api::Release> ReleasesAfter(const std::vector<api::Release>& releases,
                                        const Changes& c) {
  std::vector<api::Release> out;
  for (const auto& r : releases) {
    if (!c.releases.count(r.name)) out.push_back(r);
  }
  for (const auto& [name, r] : c.releases) {
    if (r) out.push_back(*r);
  }
  SortReleases(out);
  return out;
}

bool QueueIsCurrent(const api::Swarm& swarm) {
  return api::IsConditionTrue(swarm.status.conditions, api::condition::kQueueCurrent);
}

}  // namespace

void SwarmController::PromoteInto(Changes& c, const api::Release& release,
                                  const std::string& reason, const std::string& how) const {
  api::Swarm& swarm = c.Swarm(state_);
  const std::string was = swarm.status.release.promoted;
  int64_t timestamp = reconcilers::NextIndexTimestamp(state_.releases, clock_->Now());
  for (const auto& [name, r] : c.releases) {
    if (r) timestamp = std::max(timestamp, r->index_timestamp + 1);
  }
  api::Release promoted = release;
  promoted.promoted_at = clock_->Now();
  promoted.index_timestamp = timestamp;
  c.releases[promoted.name] = promoted;
  swarm.status.release.promoted = promoted.name;
  c.Event(api::kKindRelease, promoted.name, api::events::kNormal, reason,
          "release " + promoted.name + " (" + std::to_string(promoted.packages.size()) +
              " packages) is current" + (was.empty() ? "" : ", was " + was) + ": " + how);
}

Status SwarmController::ReconcileReleases() {
  if (!binhost_) return Status::Ok();
  // One pass at a time: the "binhost" and "releases" keys may run on two
  // workers, and a pass removes what no record names.
  std::lock_guard<std::mutex> one_pass(releases_mu_);
  const std::string dir = binhost_->binhost().dir();

  // What to cut, decided under the lock.
  struct CutJob {
    api::Release release;
    std::vector<ReleaseFile> files;
    std::vector<bool> carried;
    bool requested = false;
  };
  std::optional<CutJob> job;
  std::set<std::string> recorded;
  // The live tree's files no queue package names (nor a publication in
  // flight): releases hold their own links.
  std::optional<std::set<std::string>> needed;
  uint64_t needed_as_of = 0;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!state_.swarm) return Status::Ok();
    if (binhost_->TakeGarbageHint()) {
      needed.emplace(builds_.publishing());
      for (const auto& p : state_.packages) {
        if (p.binpkg) needed->insert(p.binpkg->path);
      }
      needed_as_of = binhost_->binhost().PublishSequence();
    }
    for (const auto& r : state_.releases) recorded.insert(r.name);
    const api::Swarm& swarm = *state_.swarm;
    const std::vector<api::Package>& queue = state_.packages.packages();
    const std::string digest =
        QueueIsCurrent(swarm) && reconcilers::QueueReleasable(queue)
            ? reconcilers::ReleaseQueueDigest(queue, swarm.status.queue)
            : "";
    const bool released =
        std::any_of(state_.releases.begin(), state_.releases.end(),
                    [&digest](const api::Release& r) { return r.queue == digest; });
    if ((!digest.empty() && !released) || release_cut_requested_) {
      const api::Release* previous = state_.releases.empty() ? nullptr : &state_.releases.back();
      reconcilers::ReleaseContents contents =
          reconcilers::PlanReleaseContents(queue, previous, release_excluded_);
      CutJob j;
      j.requested = release_cut_requested_;
      release_cut_requested_ = false;
      api::Release& r = j.release;
      r.created = clock_->Now();
      r.tree_revision = swarm.status.queue.tree_revision;
      r.deploy_version = swarm.status.queue.deploy_version;
      r.queue = digest.empty() ? reconcilers::ReleaseQueueDigest(queue, swarm.status.queue) : digest;
      r.name = reconcilers::ReleaseName(r.created, r.tree_revision, recorded);
      for (size_t i = 0; i < contents.packages.size(); ++i) {
        const api::ReleasePackage& p = contents.packages[i];
        const std::string source =
            (contents.from_previous[i] ? ReleaseDir(dir, previous->name) : dir) + "/" +
            p.binpkg.path;
        j.files.push_back({p, source});
      }
      r.packages = std::move(contents.packages);
      r.package_count = static_cast<int64_t>(r.packages.size());
      j.carried = std::move(contents.from_previous);
      if (r.packages.empty()) {
        Changes c;
        c.Event(api::kKindSwarm, swarm.metadata.name, api::events::kWarning,
                api::events::kReleaseRefused, "no release was cut: nothing is published yet");
        return writer_.Commit(std::move(c));
      }
      job = std::move(j);
    }
  }

  // A cut interrupted, or a release pruned from the store before its files.
  auto orphans = RemoveUnrecordedReleases(dir, recorded);
  if (!orphans.ok()) {
    spdlog::warn("releases: {}", orphans.status().ToString());
  } else {
    for (const auto& name : *orphans) spdlog::info("releases: removed {}, which nothing records", name);
  }

  if (needed) {
    auto collected = binhost_->binhost().RemoveUnneeded(*needed, needed_as_of);
    if (!collected.ok()) {
      spdlog::warn("binhost: {}", collected.status().ToString());
    } else if (!collected->empty()) {
      spdlog::info("binhost: removed {} file(s) no queue package names, e.g. {}",
                   collected->size(), collected->front());
    }
  }

  // The cut: links, hashing, fsyncs; no lock.
  Result<CutOutcome> cut = CutOutcome{};
  if (job) {
    spdlog::info("releases: cutting {} ({} packages)", job->release.name, job->files.size());
    cut = CutReleaseFiles(dir, job->release.name, job->files, job->release.created);
    if (!cut.ok()) spdlog::error("releases: cutting {}: {}", job->release.name, cut.status().ToString());
  }

  std::vector<std::string> pruned;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!state_.swarm) return Status::Ok();
    Changes c;
    if (job && !cut.ok()) {
      // Tried again by the next pass.
      release_cut_requested_ = release_cut_requested_ || job->requested;
    } else if (job && !cut->problems.empty()) {
      Binhost::PublishedList checked;
      for (size_t i = 0; i < job->files.size(); ++i) {
        const api::ReleasePackage& p = job->release.packages[i];
        if (!job->carried[i]) {
          checked.emplace_back(p.name, p.binpkg);
        } else {
          for (const auto& problem : cut->problems) {
            if (problem.package == p.name) release_excluded_.insert(p.name + " " + p.binpkg.sha256);
          }
        }
      }
      const int requeued = builds_.RequeueCorruptInto(c, cut->problems, checked);
      const std::string message = "release " + job->release.name + " was not cut: " +
                                  ProblemsText(cut->problems) + "; " + std::to_string(requeued) +
                                  " package(s) of the queue are built again";
      spdlog::warn("releases: {}", message);
      c.Event(api::kKindSwarm, state_.swarm->metadata.name, api::events::kWarning,
              api::events::kReleaseRefused, message);
      api::SetCondition(c.Swarm(state_).status.conditions,
                        {api::condition::kReleased, api::kFalse,
                         api::reason::kVerificationFailed, message, {}},
                        clock_->Now());
    } else if (job) {
      api::Release r = job->release;
      r.bytes = cut->bytes;
      size_t carried = 0;
      for (bool b : job->carried) carried += b ? 1 : 0;
      c.releases[r.name] = r;
      c.Swarm(state_).status.release.latest = r.name;
      c.Event(api::kKindRelease, r.name, api::events::kNormal, api::events::kReleaseCut,
              "cut release " + r.name + ": " + std::to_string(r.packages.size()) + " packages (" +
                  std::to_string(r.packages.size() - carried) + " of the queue, " +
                  std::to_string(carried) + " kept from the release before), " +
                  std::to_string(r.bytes) + " bytes, every file verified");
      spdlog::info("releases: cut {} ({} packages, {} bytes)", r.name, r.packages.size(), r.bytes);
    }

    const api::BinhostSpec& spec = state_.swarm->spec.binhost;
    std::vector<api::Release> after = ReleasesAfter(state_.releases, c);
    const std::string promoted_now =
        c.swarm ? c.swarm->status.release.promoted : state_.swarm->status.release.promoted;
    if (auto promote = reconcilers::AutoPromotion(spec, after, promoted_now)) {
      for (const auto& r : after) {
        if (r.name == *promote) {
          PromoteInto(c, r, api::events::kReleasePromoted, "spec.binhost.promotion is Automatic");
        }
      }
      after = ReleasesAfter(state_.releases, c);
    }
    const std::string promoted =
        c.swarm ? c.swarm->status.release.promoted : state_.swarm->status.release.promoted;
    for (const auto& name : reconcilers::ReleasesToPrune(after, promoted, spec.keep_releases)) {
      c.releases[name] = std::nullopt;
      pruned.push_back(name);
      c.Event(api::kKindRelease, name, api::events::kNormal, api::events::kReleasePruned,
              "pruned release " + name + ": spec.binhost.keepReleases is " +
                  std::to_string(spec.keep_releases));
    }
    after = ReleasesAfter(state_.releases, c);

    // The condition, from what this pass leaves.
    const api::Swarm& swarm = c.swarm ? *c.swarm : *state_.swarm;
    const std::vector<api::Package>& queue = state_.packages.packages();
    const std::string digest =
        QueueIsCurrent(swarm) && reconcilers::QueueReleasable(queue) && c.packages.empty()
            ? reconcilers::ReleaseQueueDigest(queue, swarm.status.queue)
            : "";
    api::Condition released = reconcilers::ReleasedCondition(
        spec, after, promoted, digest, swarm.status.queue,
        api::FindCondition(swarm.status.conditions, api::condition::kReleased));
    api::SwarmStatus status = swarm.status;
    std::string latest = after.empty() ? "" : after.back().name;
    status.release.latest = latest;
    api::SetCondition(status.conditions, released, clock_->Now());
    if (status != state_.swarm->status || c.swarm) c.Swarm(state_).status = std::move(status);
    if (Status st = writer_.Commit(std::move(c)); !st.ok()) return st;
  }

  // Their records are gone: the files follow, outside the lock.
  for (const auto& name : pruned) {
    if (Status st = RemoveReleaseFiles(dir, name); !st.ok()) {
      spdlog::warn("releases: {}", st.ToString());  // removed as an orphan by a later pass
    }
  }
  return Status::Ok();
}

Result<SwarmController::ReleaseList> SwarmController::ListReleases() {
  std::lock_guard<std::mutex> l(mu_);
  ReleaseList out;
  out.resource_version = watch_.ResourceVersion();
  if (state_.swarm) out.promoted = state_.swarm->status.release.promoted;
  out.releases.reserve(state_.releases.size());
  for (const auto& r : state_.releases) out.releases.push_back(api::ReleaseSummaryOf(r));
  return out;
}

Result<SwarmController::ReleaseDetail> SwarmController::GetRelease(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  const api::Release* r = state_.FindRelease(name);
  if (r == nullptr) return NotFound("release \"" + name + "\" not found");
  ReleaseDetail out;
  out.release = *r;
  out.promoted = state_.swarm && state_.swarm->status.release.promoted == name;
  const api::Release* previous = reconcilers::PreviousRelease(state_.releases, name);
  if (previous) out.previous = previous->name;
  out.changes = reconcilers::DiffReleases(*r, previous);
  return out;
}

Status SwarmController::RequestReleaseCut() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!binhost_) return Conflict("the controller keeps no binhost (--binhost-dir)");
    if (!state_.swarm) return Conflict("no Swarm is applied yet");
    release_cut_requested_ = true;
  }
  work_.Add(kReleasesKey);
  return Status::Ok();
}

Result<api::Release> SwarmController::Promote(const std::string& name) {
  api::Release out;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!state_.swarm) return Conflict("no Swarm is applied yet");
    const api::Release* r = state_.FindRelease(name);
    if (r == nullptr) return NotFound("release \"" + name + "\" not found");
    if (state_.swarm->status.release.promoted == name) return *r;
    Changes c;
    PromoteInto(c, *r, api::events::kReleasePromoted, "promoted by hand");
    if (Status st = writer_.Commit(std::move(c)); !st.ok()) return st;
    out = *state_.FindRelease(name);
  }
  work_.Add(kReleasesKey);  // its condition, and pruning
  return out;
}

Result<api::Release> SwarmController::Rollback() {
  api::Release out;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!state_.swarm) return Conflict("no Swarm is applied yet");
    const std::string promoted = state_.swarm->status.release.promoted;
    if (promoted.empty()) return Conflict("no release is promoted: there is nothing to roll back");
    const api::Release* previous = reconcilers::PreviousRelease(state_.releases, promoted);
    if (previous == nullptr) {
      return Conflict("release " + promoted + " is the oldest kept: there is none to roll back to");
    }
    const std::string name = previous->name;
    Changes c;
    PromoteInto(c, *previous, api::events::kReleaseRolledBack, "rolled back from " + promoted);
    if (Status st = writer_.Commit(std::move(c)); !st.ok()) return st;
    out = *state_.FindRelease(name);
  }
  work_.Add(kReleasesKey);
  return out;
}

}  // namespace swarm::controller

#include "controller/reconcilers/releases.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "api/conditions.h"
#include "api/cpv.h"
#include "api/packages_index.h"
#include "base/sha256.h"

namespace swarm::controller::reconcilers {
namespace {

bool ReleasablePackage(const api::Package& p) {
  return p.phase == api::kPhaseComplete && p.binpkg.has_value();
}

// The SLOT an index entry names, without its sub-slot; empty when unknown.
std::string SlotOfEntry(const std::string& entry) {
  Result<api::IndexBlock> block = api::ParseIndexEntry(entry);
  if (!block.ok()) return "";
  const std::string* slot = block->Find("SLOT");
  if (slot == nullptr) return "";
  return slot->substr(0, slot->find('/'));
}

std::string HumanCount(size_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

}  // namespace

std::string ReleaseQueueDigest(const std::vector<api::Package>& queue,
                               const api::QueueSummary& stamp) {
  std::vector<std::string> lines;
  for (const auto& p : queue) {
    if (ReleasablePackage(p)) lines.push_back(p.name + " " + p.binpkg->path + " " + p.binpkg->sha256);
  }
  std::sort(lines.begin(), lines.end());
  std::string text = "tree " + stamp.tree_revision + "\ndeploy " + stamp.deploy_version + "\n";
  for (const auto& l : lines) text += l + "\n";
  return Sha256Hex(text).substr(0, 16);
}

bool QueueReleasable(const std::vector<api::Package>& queue) {
  if (queue.empty()) return false;
  return std::all_of(queue.begin(), queue.end(), ReleasablePackage);
}

ReleaseContents PlanReleaseContents(const std::vector<api::Package>& queue,
                                    const api::Release* previous,
                                    const std::set<std::string>& excluded) {
  std::map<std::string, std::pair<api::ReleasePackage, bool>> by_name;
  // cat/pn -> the slots the queue's packages take ("" when unknown).
  std::map<std::string, std::set<std::string>> taken;
  for (const auto& p : queue) {
    if (!ReleasablePackage(p)) continue;
    by_name[p.name] = {api::ReleasePackage{p.name, *p.binpkg, p.index_entry}, false};
    taken[api::PackageKey(p.name)].insert(SlotOfEntry(p.index_entry));
  }
  if (previous != nullptr) {
    for (const auto& p : previous->packages) {
      if (by_name.count(p.name) || excluded.count(p.name + " " + p.binpkg.sha256)) continue;
      auto slots = taken.find(api::PackageKey(p.name));
      if (slots != taken.end()) {
        const std::string slot = SlotOfEntry(p.index_entry);
        if (slot.empty() || slots->second.count("") || slots->second.count(slot)) continue;
      }
      by_name[p.name] = {p, true};
    }
  }
  ReleaseContents out;
  for (auto& [name, entry] : by_name) {
    out.packages.push_back(std::move(entry.first));
    out.from_previous.push_back(entry.second);
  }
  return out;
}

std::string ReleaseName(WallTime now, const std::string& tree_revision,
                        const std::set<std::string>& taken) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H%MZ", &tm);
  std::string tree;
  for (char c : tree_revision) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (ok) tree += c;
    if (tree.size() == 8) break;
  }
  std::string base = std::string(when) + (tree.empty() ? "" : "-" + tree);
  std::string name = base;
  for (int n = 2; taken.count(name); ++n) name = base + "-" + std::to_string(n);
  return name;
}

std::optional<std::string> AutoPromotion(const api::BinhostSpec& spec,
                                         const std::vector<api::Release>& releases,
                                         const std::string& promoted) {
  if (spec.promotion != api::kPromotionAutomatic || releases.empty()) return std::nullopt;
  const api::Release& newest = releases.back();
  if (newest.name == promoted || newest.promoted_at.has_value()) return std::nullopt;
  return newest.name;
}

std::vector<std::string> ReleasesToPrune(const std::vector<api::Release>& releases,
                                         const std::string& promoted, int keep) {
  std::set<std::string> kept;
  for (size_t i = 0; i < releases.size(); ++i) {
    if (releases[i].name != promoted) continue;
    kept.insert(promoted);
    if (i > 0) kept.insert(releases[i - 1].name);
  }
  const size_t keep_n = static_cast<size_t>(std::max(keep, 0));
  std::vector<std::string> out;
  if (releases.size() <= keep_n) return out;
  size_t excess = releases.size() - keep_n;
  for (const auto& r : releases) {
    if (excess == 0) break;
    if (kept.count(r.name)) continue;
    out.push_back(r.name);
    --excess;
  }
  return out;
}

const api::Release* PreviousRelease(const std::vector<api::Release>& releases,
                                    const std::string& name) {
  for (size_t i = 0; i < releases.size(); ++i) {
    if (releases[i].name == name) return i > 0 ? &releases[i - 1] : nullptr;
  }
  return nullptr;
}

int64_t NextIndexTimestamp(const std::vector<api::Release>& releases, WallTime now) {
  int64_t ts = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  for (const auto& r : releases) ts = std::max(ts, r.index_timestamp + 1);
  return ts;
}

ReleaseDiff DiffReleases(const api::Release& release, const api::Release* previous) {
  ReleaseDiff d;
  std::map<std::string, const api::ReleasePackage*> before;
  if (previous != nullptr) {
    for (const auto& p : previous->packages) before[p.name] = &p;
  }
  std::set<std::string> now;
  for (const auto& p : release.packages) {
    now.insert(p.name);
    auto it = before.find(p.name);
    if (it == before.end()) {
      d.added.push_back(p.name);
    } else if (it->second->binpkg.sha256 != p.binpkg.sha256 ||
               it->second->binpkg.path != p.binpkg.path) {
      d.rebuilt.push_back(p.name);
    }
  }
  for (const auto& [name, p] : before) {
    if (!now.count(name)) d.removed.push_back(name);
  }
  std::sort(d.added.begin(), d.added.end());
  std::sort(d.rebuilt.begin(), d.rebuilt.end());
  return d;
}

api::Condition ReleasedCondition(const api::BinhostSpec& spec,
                                 const std::vector<api::Release>& releases,
                                 const std::string& promoted, const std::string& queue_digest,
                                 const api::QueueSummary& queue, const api::Condition* was) {
  namespace reason = api::reason;
  const std::string type = api::condition::kReleased;
  const api::Release* mine = nullptr;
  if (!queue_digest.empty()) {
    for (const auto& r : releases) {
      if (r.queue == queue_digest) mine = &r;
    }
  }
  if (mine == nullptr) {
    if (was != nullptr && was->reason == reason::kVerificationFailed) {
      return {type, api::kFalse, reason::kVerificationFailed, was->message, {}};
    }
    std::string message = "no release of the queue yet: " + std::to_string(queue.complete) +
                          " of " + std::to_string(queue.total) + " packages complete";
    if (!promoted.empty()) message += "; current is " + promoted;
    return {type, api::kFalse, reason::kQueueIncomplete, message, {}};
  }
  const std::string what = mine->name + " (" + HumanCount(mine->packages.size(), "package") + ")";
  if (mine->name == promoted) {
    return {type, api::kTrue, reason::kPromoted, "current is release " + what, {}};
  }
  if (spec.promotion == api::kPromotionManual && !mine->promoted_at) {
    return {type, api::kFalse, reason::kAwaitingPromotion,
            "release " + what + " is cut; promote it with: swarmctl promote " + mine->name +
                (promoted.empty() ? "" : " (current is " + promoted + ")"),
            {}};
  }
  return {type, api::kFalse, reason::kOlderPromoted,
          "current is " + (promoted.empty() ? std::string("no release") : "release " + promoted) +
              "; the queue's release is " + what,
          {}};
}

}  // namespace swarm::controller::reconcilers

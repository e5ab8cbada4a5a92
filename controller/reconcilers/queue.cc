#include "controller/reconcilers/queue.h"

#include <cstdio>
#include <map>
#include <set>
#include <unordered_set>

#include "api/cpv.h"
#include "api/quantity.h"

namespace swarm::controller::reconcilers {
namespace {}  // namespace

std::string ShortRevision(const std::string& rev) {
  return rev.empty() ? "<none>" : rev.substr(0, 12);
}

bool DiscoveryMatchesSpec(const api::Action& discover, const api::SwarmSpec& spec) {
  return discover.tree_revision == spec.portage.tree_revision &&
         discover.deploy_version == spec.deploy.version &&
         discover.queue_spec == QueueSpecDigest(spec.queue);
}

std::string QueueSpecDigest(const api::QueueSpec& q) {
  uint64_t h = 14695981039346656037ull;
  auto mix = [&](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;  // field separator: ("ab","c") and ("a","bc") differ
    h *= 1099511628211ull;
  };
  mix(q.discover_on);
  mix(q.emerge_args);
  for (const auto& t : q.targets) mix("t:" + t);
  for (const auto& p : q.packages) mix("p:" + p);
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

QueueDecision ReconcileQueue(const api::SwarmSpec& spec, const api::QueueSummary& stamp,
                             bool fresh_pending, const Discoverer& discoverer,
                             const ActionState& discover, SteadyTime now, bool fault_pending) {
  QueueDecision out;
  api::Condition& c = out.queue_current;
  c.type = api::condition::kQueueCurrent;
  const std::string& tree = spec.portage.tree_revision;
  const std::string& deploy = spec.deploy.version;
  const bool has_queue = !stamp.tree_revision.empty();
  const std::string queue_spec = QueueSpecDigest(spec.queue);
  const bool current = has_queue && !fresh_pending && !fault_pending &&
                       stamp.tree_revision == tree &&
                       stamp.deploy_version == deploy && stamp.queue_spec == queue_spec;
  if (current) {
    c.status = api::kTrue;
    c.reason = "Current";
    c.message = std::to_string(stamp.total) + " packages, discovered against tree " +
                ShortRevision(tree) + " and deploy " + deploy;
    return out;
  }
  c.status = api::kFalse;
  if (fresh_pending) {
    c.reason = "FreshRequested";
    c.message = "swarmctl fresh discarded the queue; it is discovered again once " +
                (spec.queue.discover_on.empty() ? std::string("the spec is read")
                                                : spec.queue.discover_on + " has re-synced");
  } else if (fault_pending) {
    c.reason = "SystemicFault";
    c.message = "a systemic fault put the queue in doubt; it is discovered again once " +
                (spec.queue.discover_on.empty() ? std::string("every member has re-synced")
                                                : spec.queue.discover_on + " has re-synced");
  } else if (!has_queue) {
    c.reason = "NeverDiscovered";
    c.message = "no queue has been discovered yet";
  } else if (stamp.tree_revision == tree && stamp.deploy_version == deploy) {
    c.reason = "Stale";
    c.message =
        "spec.queue (discoverOn, targets, emergeArgs or packages) changed since the queue "
        "was discovered: nothing is dispatched from it";
  } else {
    c.reason = "Stale";
    c.message = "queue was discovered against tree " + ShortRevision(stamp.tree_revision) +
                " and deploy " + stamp.deploy_version + "; spec wants tree " + ShortRevision(tree) +
                " and deploy " + deploy + ": nothing is dispatched from it";
  }
  if (spec.queue.discover_on.empty()) {
    out.build_from_packages = true;
    return out;
  }
  const std::string& who = spec.queue.discover_on;
  if (discover.in_flight) {
    c.reason = "Discovering";
    c.message = "resolving " + std::to_string(spec.queue.targets.size()) + " target(s) on " + who +
                " against tree " + ShortRevision(discover.in_flight->tree_revision) + " (action " +
                discover.in_flight->id + ")";
    return out;
  }
  if (discover.retry_at && *discover.retry_at > now) {
    out.requeue_after = std::chrono::duration_cast<Duration>(*discover.retry_at - now);
    c.reason = "DiscoveryFailed";
    c.message = "discovery on " + who + " failed " + std::to_string(discover.failures) +
                " time(s), retry at " + FormatTime(discover.retry_at_wall) + ": " +
                discover.last_error;
    return out;
  }
  if (!discoverer.in_roster || !discoverer.ready || !discoverer.deployed || !discoverer.synced) {
    std::string missing;
    auto add = [&](bool ok, const std::string& what) {
      if (ok) return;
      missing += (missing.empty() ? "" : ", ") + what;
    };
    add(discoverer.in_roster, "in the roster");
    add(discoverer.ready, "Ready");
    add(discoverer.deployed, "deployed at " + deploy);
    add(discoverer.synced, "synced to " + ShortRevision(tree));
    c.reason = "WaitingForDiscoverer";
    c.message = c.message + "; waiting for " + who + " to be " + missing;
    return out;
  }
  out.want_discover = true;
  return out;
}

std::vector<api::Package> BuildQueue(const std::vector<api::DiscoveredPackage>& discovered,
                                     const std::vector<std::string>& explicit_packages,
                                     const std::vector<api::Package>& old, bool keep_complete,
                                     const std::string& tree_revision,
                                     const std::string& deploy_version) {
  std::map<std::string, const api::Package*> before;
  // The last measured build of each cat/pn: what a new version is expected to take.
  std::map<std::string, const api::Package*> measured;
  for (const auto& p : old) {
    before[p.name] = &p;
    if (p.phase != api::kPhaseComplete || p.build_ms <= 0 || p.build_cpu_ms <= 0) continue;
    // The later of two builds of one cat/pn (an unknown time is the earliest).
    const api::Package*& m = measured[api::PackageKey(p.name)];
    if (m == nullptr || p.completed_at.value_or(WallTime{}) > m->completed_at.value_or(WallTime{})) {
      m = &p;
    }
  }
  std::vector<api::Package> out;
  std::map<std::string, size_t> index;
  // The dependencies of out[i] so far, each listed once, so that a repeat of
  // its name merges its own in without scanning them: a discovery may repeat
  // a name as often as its body holds entries.
  std::vector<std::unordered_set<std::string>> held;
  auto add = [&](const std::string& name, const std::vector<std::string>& deps,
                 int64_t estimated_ms, int64_t estimated_cpu_ms, int estimated_cores) {
    auto it = index.find(name);
    if (it != index.end()) {
      auto& existing = out[it->second].dependencies;
      for (const auto& d : deps) {
        if (held[it->second].insert(d).second) existing.push_back(d);
      }
      return;
    }
    api::Package p;
    p.name = name;
    std::unordered_set<std::string>& mine = held.emplace_back();
    for (const auto& d : deps) {
      if (mine.insert(d).second) p.dependencies.push_back(d);
    }
    p.tree_revision = tree_revision;
    p.deploy_version = deploy_version;
    p.estimated_ms = estimated_ms;
    p.estimated_cpu_ms = estimated_cpu_ms;
    p.estimated_cores = estimated_cores;
    if (auto m = measured.find(api::PackageKey(name)); m != measured.end()) {
      p.estimated_ms = m->second->build_ms;
      p.estimated_cpu_ms = m->second->build_cpu_ms;
      p.estimated_cores = m->second->build_cores;
    }
    auto prior = before.find(name);
    if (keep_complete && prior != before.end() && prior->second->phase == api::kPhaseComplete) {
      p.phase = api::kPhaseComplete;
      p.drone = prior->second->drone;
      p.attempts = prior->second->attempts;
      // Its binary package stays published and checked, its time an estimate.
      p.binpkg = prior->second->binpkg;
      p.index_entry = prior->second->index_entry;
      p.build_ms = prior->second->build_ms;
      p.build_cpu_ms = prior->second->build_cpu_ms;
      p.build_cores = prior->second->build_cores;
      p.completed_at = prior->second->completed_at;
    }
    index[name] = out.size();
    out.push_back(std::move(p));
  };
  for (const auto& d : discovered) {
    add(d.name, d.dependencies, d.estimated_ms, d.estimated_cpu_ms, d.estimated_cores);
  }
  for (std::string name : explicit_packages) {
    if (!name.empty() && name[0] == '=') name.erase(0, 1);
    add(name, {}, 0, 0, 0);
  }
  // Dependencies name only packages of this queue.
  for (auto& p : out) {
    std::vector<std::string> kept;
    for (const auto& d : p.dependencies) {
      if (index.count(d) && d != p.name) kept.push_back(d);
    }
    p.dependencies = std::move(kept);
  }
  return out;
}

api::QueueSummary SummarizeQueue(const std::vector<api::Package>& packages,
                                 const api::QueueSummary& stamp) {
  api::QueueSummary s;
  s.tree_revision = stamp.tree_revision;
  s.deploy_version = stamp.deploy_version;
  s.queue_spec = stamp.queue_spec;
  for (const auto& p : packages) {
    ++s.total;
    if (p.phase == api::kPhaseNeeded) ++s.needed;
    if (p.phase == api::kPhaseBuilding) ++s.building;
    if (p.phase == api::kPhaseComplete) ++s.complete;
    if (p.phase == api::kPhaseFailed) ++s.failed;
    if (p.phase == api::kPhaseBlocked) ++s.blocked;
  }
  return s;
}

}  // namespace swarm::controller::reconcilers

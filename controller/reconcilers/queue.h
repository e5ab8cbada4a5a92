#pragma once

// Queue: the build queue is stamped with the tree revision and deploy version
// it was discovered against. A queue whose stamp differs from the spec is
// stale: nothing is dispatched from it, and it is discovered again on
// spec.queue.discoverOn once that member runs the spec's deploy and tree (the
// incident where a queue computed against a newer tree grounded every drone).

#include <optional>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "api/types.h"
#include "controller/reconcilers/action_state.h"

namespace swarm::controller::reconcilers {

// What the queue reconciler needs to know of the discovering member.
struct Discoverer {
  bool in_roster = false;
  bool ready = false;
  bool deployed = false;
  bool synced = false;
};

struct QueueDecision {
  api::Condition queue_current;
  bool want_discover = false;        // issue a discover action to discoverOn now
  bool build_from_packages = false;  // no discoverOn: the queue is spec.queue.packages
  std::optional<Duration> requeue_after;
};

// `stamp` is the current queue's stamp (empty when there is none);
// `fresh_pending` is true after `swarmctl fresh` until the queue is
// discovered again; `fault_pending` likewise after a systemic fault, whose
// remediation re-syncs every member and discovers the queue again.
QueueDecision ReconcileQueue(const api::SwarmSpec& spec, const api::QueueSummary& stamp,
                             bool fresh_pending, const Discoverer& discoverer,
                             const ActionState& discover, SteadyTime now,
                             bool fault_pending = false);

// The new queue from a discovery plus spec.queue.packages (a leading '=' is
// dropped; duplicates are merged, their dependencies listed once each, in
// time near linear in the discovery's size). Packages Complete in `old` that the new
// queue still wants stay Complete when `keep_complete`; everything else
// starts Needed. Every package gets the stamp.
std::vector<api::Package> BuildQueue(const std::vector<api::DiscoveredPackage>& discovered,
                                     const std::vector<std::string>& explicit_packages,
                                     const std::vector<api::Package>& old, bool keep_complete,
                                     const std::string& tree_revision,
                                     const std::string& deploy_version);

// Counts by phase, with the stamp's tree, deploy and queue spec.
api::QueueSummary SummarizeQueue(const std::vector<api::Package>& packages,
                                 const api::QueueSummary& stamp);

// True when a discover action resolves the spec as it is now (tree, deploy
// and queue spec): only such a discovery may become the queue.
bool DiscoveryMatchesSpec(const api::Action& discover, const api::SwarmSpec& spec);

// A stable digest (FNV-1a, hex) of the spec.queue fields that decide what
// discovery returns: discoverOn, targets, emergeArgs, packages. Part of the
// stamp, so changing the targets makes the queue stale like a new tree does.
std::string QueueSpecDigest(const api::QueueSpec& q);

// The first 12 characters of a revision for messages, "<none>" when empty.
std::string ShortRevision(const std::string& rev);

}  // namespace swarm::controller::reconcilers

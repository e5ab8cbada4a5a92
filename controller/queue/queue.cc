#include "controller/queue/queue.h"

#include <spdlog/spdlog.h>

#include "api/cpv.h"
#include "base/strings.h"
#include "api/events.h"
#include "controller/reconcilers/queue.h"
#include "controller/reconcilers/tree_sync.h"

namespace swarm::controller {
namespace {

// Package names go into `emerge =<name>` and operators' hooks on every drone:
// only a PMS cat/pkg-ver passes.
bool IsCpv(const std::string& s) { return s.size() <= 256 && api::ParseCpv(s).ok(); }

}  // namespace

bool Queue::FreshPending() const {
  return !state_.swarm->status.observed_fresh_request.empty() &&
         state_.swarm->status.queue.tree_revision.empty();
}

void Queue::SetQueue(std::vector<api::Package> packages, const api::QueueSummary& stamp,
                     Changes& changes) {
  changes.Swarm(state_).status.queue = reconcilers::SummarizeQueue(packages, stamp);
  changes.queue = std::move(packages);
}

Status Queue::HandleFresh() {
  const api::Swarm& swarm = *state_.swarm;
  auto it = swarm.metadata.annotations.find(api::kFreshAnnotation);
  if (it == swarm.metadata.annotations.end() || it->second.empty() ||
      it->second == swarm.status.observed_fresh_request) {
    return Status::Ok();
  }
  const std::string requested = it->second;
  // One decision: the request is observed, the queue discarded (discovered
  // again), every member re-syncs, faults and groundings are cleared.
  Changes changes;
  api::Swarm& next = changes.Swarm(state_);
  next.status.observed_fresh_request = requested;
  next.status.queue = {};
  changes.queue.emplace();
  drones_.RequestResyncAll("re-sync requested by swarmctl fresh", changes);
  faults_.FreshStart(changes);
  changes.Event(api::kKindSwarm, next.metadata.name, api::events::kNormal, api::events::kFreshStarted,
                "fresh start " + requested + ": " + std::to_string(next.spec.drones.size()) +
                    " members re-sync, " + std::to_string(state_.packages.size()) +
                    " queued packages discarded, groundings cleared");
  if (Status st = writer_.Commit(std::move(changes)); !st.ok()) return st;
  faults_.Forget();
  drones_.FreshStarted();
  spdlog::info("fresh start {} set in motion", requested);
  return Status::Ok();
}

std::string Queue::CheckDiscovery(const api::ActionResult& result, const api::Action& action,
                                  const std::string& drone) const {
  if (drone != state_.swarm->spec.queue.discover_on) {
    return "discovery result from " + drone + ", which is no longer spec.queue.discoverOn";
  }
  if (result.tree_revision != action.tree_revision ||
      result.deploy_version != action.deploy_version) {
    return "discovery ran on tree " + result.tree_revision + " and deploy " +
           result.deploy_version + ", not the tree " + action.tree_revision + " and deploy " +
           action.deploy_version + " it was asked for";
  }
  for (const auto& p : result.packages) {
    if (!IsCpv(p.name)) {
      return "discovery returned \"" + Truncate(p.name, 200) + "\", which is not a cat/pkg-ver";
    }
    for (const auto& d : p.dependencies) {
      if (!IsCpv(d)) {
        return "discovery returned dependency \"" + Truncate(d, 200) +
               "\", which is not a cat/pkg-ver";
      }
    }
  }
  return "";
}

Status Queue::TakeDiscovery(const api::ActionResult& result, const api::Action& action) {
  const api::SwarmSpec& spec = state_.swarm->spec;
  Changes changes;
  if (!reconcilers::DiscoveryMatchesSpec(action, spec)) {
    // The spec moved while the drone was resolving: that queue is stale already.
    changes.Event(api::kKindSwarm, state_.swarm->metadata.name, api::events::kNormal,
                  api::events::kDiscoveryDiscarded,
                  "discarded a queue discovered against tree " + action.tree_revision +
                      " and deploy " + action.deploy_version + ": the spec has moved on");
    return writer_.Commit(std::move(changes));
  }
  std::vector<api::Package> queue = reconcilers::BuildQueue(
      result.packages, spec.queue.packages, state_.packages.packages(), !FreshPending(),
      action.tree_revision, action.deploy_version);
  int kept = 0;
  for (const auto& p : queue) kept += p.phase == api::kPhaseComplete;
  const size_t total = queue.size();
  SetQueue(std::move(queue), {action.tree_revision, action.deploy_version, action.queue_spec},
           changes);
  const bool remediated = faults_.FinishRemediation(changes);
  // A fresh queue is a cause gone for every grounded drone.
  faults_.UngroundEveryone("the queue was discovered again", changes);
  changes.Event(api::kKindSwarm, state_.swarm->metadata.name, api::events::kNormal,
                api::events::kQueueDiscovered,
                "discovered " + std::to_string(total) + " packages on " + spec.queue.discover_on +
                    " against tree " + action.tree_revision.substr(0, 12) + " and deploy " +
                    action.deploy_version + " (" + std::to_string(kept) +
                    " already complete and kept)");
  if (Status s = writer_.Commit(std::move(changes)); !s.ok()) return s;
  if (remediated) faults_.RemediationFinished();
  spdlog::info("queue discovered: {} packages ({} already complete)", total, kept);
  return Status::Ok();
}

Status Queue::Reconcile(Duration* next, api::Condition* queue_current) {
  if (!state_.swarm) return Status::Ok();
  if (Status s = HandleFresh(); !s.ok()) return s;
  if (Status s = builds_.WithdrawStale(); !s.ok()) return s;
  // A stored fault that is not Persistent is being remediated: level-triggered,
  // so a restart or a failed write picks it up again.
  faults_.ArmFromStoredFault();
  // Stays valid while the queue and status are written (StateWriter::Commit).
  const api::SwarmSpec& spec = state_.swarm->spec;
  const SteadyTime steady = clock_->SteadyNow();
  const std::string& discover_on = spec.queue.discover_on;

  reconcilers::Discoverer discoverer;
  if (state_.RosterMember(discover_on) != nullptr) {
    // Judged from what the drone reports against the spec as it is now, not
    // from its conditions, which may still speak of the previous spec.
    const api::DroneStatus& ds = state_.Status(discover_on);
    const DroneActions& acts = drones_.Actions(discover_on);
    const api::Condition* synced = api::FindCondition(ds.conditions, api::condition::kTreeSynced);
    const bool resync_owed = acts.sync.forced || acts.sync.in_flight ||
                             (synced != nullptr && synced->reason == api::reason::kResyncRequested);
    discoverer = {true, api::IsConditionTrue(ds.conditions, api::condition::kReady),
                  ds.deploy_version == spec.deploy.version,
                  ds.tree_revision == spec.portage.tree_revision && !resync_owed};
  }
  reconcilers::ActionState no_actions;
  reconcilers::ActionState& discover =
      discover_on.empty() ? no_actions : drones_.Actions(discover_on).discover;
  const bool fresh_pending = FreshPending();
  const bool remediating = faults_.remediation_pending();
  auto queue = reconcilers::ReconcileQueue(spec, state_.swarm->status.queue, fresh_pending,
                                           discoverer, discover, steady, remediating);
  if (queue.build_from_packages && remediating) {
    // Without a discoverer the remediation is the re-sync alone: done once
    // every Ready member has synced again (one that is away keeps its
    // ResyncRequested, which keeps work from it until it re-syncs).
    bool all_synced = true;
    for (const auto& member : spec.drones) {
      const api::DroneStatus& ds = state_.Status(member.name);
      if (!api::IsConditionTrue(ds.conditions, api::condition::kReady)) continue;
      const DroneActions& acts = drones_.Actions(member.name);
      all_synced = all_synced &&
                   api::IsConditionTrue(ds.conditions, api::condition::kTreeSynced) &&
                   !acts.sync.forced && !acts.sync.in_flight;
    }
    if (!all_synced) queue.build_from_packages = false;
  }
  if (queue.build_from_packages) {
    Changes changes;
    const bool remediated = faults_.FinishRemediation(changes);
    SetQueue(reconcilers::BuildQueue({}, spec.queue.packages, state_.packages.packages(),
                                     !fresh_pending, spec.portage.tree_revision,
                                     spec.deploy.version),
             {spec.portage.tree_revision, spec.deploy.version,
              reconcilers::QueueSpecDigest(spec.queue)},
             changes);
    if (Status s = writer_.Commit(std::move(changes)); !s.ok()) return s;
    if (remediated) faults_.RemediationFinished();
    queue = reconcilers::ReconcileQueue(spec, state_.swarm->status.queue, false, discoverer,
                                        discover, steady, faults_.remediation_pending());
  }
  if (queue.want_discover) {
    api::Action a = drones_.NewAction(api::kActionDiscover);
    a.targets = spec.queue.targets;
    a.emerge_args = spec.queue.emerge_args;
    a.tree_revision = spec.portage.tree_revision;
    a.deploy_version = spec.deploy.version;
    a.queue_spec = reconcilers::QueueSpecDigest(spec.queue);
    Changes changes;
    changes.Event(api::kKindSwarm, state_.swarm->metadata.name, api::events::kNormal,
                  api::events::kDiscoveryIssued,
                  "queue discovery asked of " + discover_on + " (" +
                      queue.queue_current.reason + ")");
    if (Status s = writer_.Commit(std::move(changes)); !s.ok()) return s;
    discover.in_flight = a;
    queue = reconcilers::ReconcileQueue(spec, state_.swarm->status.queue, fresh_pending,
                                        discoverer, discover, steady,
                                        faults_.remediation_pending());
  }
  Earliest(next, queue.requeue_after);
  open_ = queue.queue_current.status == api::kTrue && !state_.SystemicFault() &&
          !faults_.remediation_pending();
  if (queue_current != nullptr) *queue_current = std::move(queue.queue_current);
  return Status::Ok();
}

}  // namespace swarm::controller

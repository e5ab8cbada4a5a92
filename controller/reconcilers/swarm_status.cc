#include "controller/reconcilers/swarm_status.h"

#include "api/events.h"

namespace swarm::controller::reconcilers {
namespace {

// A swarm-wide condition that holds when the member condition `type` is True
// on every member; the message names the members where it is not, and why.
api::Condition AllMembers(const std::vector<api::Drone>& drones, const std::string& member_type,
                          const std::string& type, const std::string& true_reason,
                          const std::string& false_reason, const std::string& what) {
  std::string lagging;
  int good = 0;
  for (const auto& d : drones) {
    const api::Condition* c = api::FindCondition(d.status.conditions, member_type);
    if (c != nullptr && c->status == api::kTrue) {
      ++good;
      continue;
    }
    if (!lagging.empty()) lagging += ", ";
    lagging += d.name + " (" + (c ? c->reason : std::string(api::reason::kNeverJoined)) + ")";
  }
  const std::string counts =
      std::to_string(good) + "/" + std::to_string(drones.size()) + " roster members " + what;
  if (lagging.empty()) return {type, api::kTrue, true_reason, counts, {}};
  return {type, api::kFalse, false_reason, counts + "; not yet: " + lagging, {}};
}

// Whether the current queue is built: every package Complete.
api::Condition QueueComplete(const api::Condition& queue_current, const api::QueueSummary& q) {
  namespace reason = api::reason;
  const std::string type = api::condition::kQueueComplete;
  const std::string counts =
      std::to_string(q.complete) + " of " + std::to_string(q.total) + " packages complete";
  if (queue_current.status != api::kTrue) {
    return {type,
            api::kFalse,
            reason::kQueueNotCurrent,
            "the queue is not current: " + queue_current.message,
            {}};
  }
  if (q.total == 0) return {type, api::kFalse, reason::kNoQueue, "no package is queued", {}};
  if (q.complete == q.total) return {type, api::kTrue, reason::kAllBuilt, counts, {}};
  if (q.needed + q.building > 0) {
    return {type,
            api::kFalse,
            reason::kBuilding,
            counts + ", " + std::to_string(q.building) + " building, " + std::to_string(q.needed) +
                " needed",
            {}};
  }
  return {type,
          api::kFalse,
          reason::kPackagesBlocked,
          counts + "; " + std::to_string(q.blocked + q.failed) +
              " blocked or failed wait for a person (swarmctl get packages)",
          {}};
}

}  // namespace

api::SwarmStatus ReconcileSwarmStatus(const api::Swarm& swarm,
                                      const std::vector<api::Drone>& drones,
                                      const api::Condition& queue_current,
                                      const api::QueueSummary& queue, WallTime now) {
  api::SwarmStatus status = swarm.status;
  status.observed_generation = swarm.metadata.generation;
  status.queue = queue;

  api::Condition ready = AllMembers(drones, api::condition::kReady, api::condition::kDronesReady, api::reason::kAllDronesReady,
                                    api::reason::kDronesNotReady, "ready");
  api::Condition deployed =
      AllMembers(drones, api::condition::kDeployed, api::condition::kDeployed, "AllDeployed", "MembersNotDeployed",
                 "run deploy " + swarm.spec.deploy.version);
  api::Condition synced =
      AllMembers(drones, api::condition::kTreeSynced, api::condition::kTreeSynced, "AllSynced", "MembersNotSynced",
                 "at tree " + swarm.spec.portage.tree_revision.substr(0, 12));
  api::Condition converged{api::condition::kConverged,
                           api::kTrue,
                           "Converged",
                           "every member is deployed and synced and the queue is current",
                           {}};
  std::string waiting;
  for (const api::Condition* c :
       std::initializer_list<const api::Condition*>{&deployed, &synced, &queue_current}) {
    if (c->status == api::kTrue) continue;
    waiting += (waiting.empty() ? "" : "; ") + c->type + ": " + c->message;
  }
  if (!waiting.empty()) converged = {api::condition::kConverged, api::kFalse, "NotConverged", waiting, {}};

  // Systemic faults are raised by the build failure analysis; until a build
  // fails alike across the swarm there is none.
  if (!api::FindCondition(status.conditions, api::condition::kSystemicFault)) {
    api::SetCondition(status.conditions,
                      {api::condition::kSystemicFault, api::kFalse, "NoFault", "no swarm-wide failure seen", {}},
                      now);
  }
  for (auto* c : {&ready, &deployed, &synced, &converged}) {
    api::SetCondition(status.conditions, std::move(*c), now);
  }
  api::SetCondition(status.conditions, queue_current, now);
  api::SetCondition(status.conditions, QueueComplete(queue_current, queue), now);
  return status;
}

}  // namespace swarm::controller::reconcilers

#include "controller/reconcilers/deploy.h"

#include "api/quantity.h"

namespace swarm::controller::reconcilers {

std::string WaitingMessage(const std::string& what, int builds_held) {
  return what + " waits for the drone's " + std::to_string(builds_held) +
         " build(s) to stop (they are taken back when the queue is stale)";
}

DroneConvergence ReconcileDeploy(const std::string& wanted, const api::DroneStatus& observed,
                                 const ActionState& deploy, SteadyTime now, int builds_held) {
  DroneConvergence out;
  api::Condition& c = out.condition;
  c.type = api::condition::kDeployed;
  if (!observed.last_heartbeat_time) {
    c.status = api::kUnknown;
    c.reason = "AwaitingReport";
    c.message = "the drone has not reported yet";
    return out;
  }
  const bool converged = observed.deploy_version == wanted;
  const ConvergeDecision d = DecideConvergence(converged, deploy, now, builds_held);
  using Phase = ConvergeDecision::Phase;
  c.status = d.phase == Phase::kConverged ? api::kTrue : api::kFalse;
  switch (d.phase) {
    case Phase::kConverged:
      c.reason = "Deployed";
      c.message = "runs deploy version " + wanted;
      break;
    case Phase::kInFlight:
      c.reason = "Deploying";
      c.message = "deploying " + wanted + " (action " + deploy.in_flight->id + ")";
      break;
    case Phase::kBackingOff:
      c.reason = "DeployFailed";
      c.message = "hooks.deploy failed " + std::to_string(deploy.failures) + " time(s), retry at " +
                  FormatTime(deploy.retry_at_wall) + ": " + deploy.last_error;
      out.requeue_after = d.requeue_after;
      break;
    case Phase::kWaitingForBuilds:
      c.reason = api::reason::kWaitingForBuilds;
      c.message = WaitingMessage("deploy " + wanted, builds_held);
      break;
    case Phase::kWantAction:
      out.want_action = true;
      if (observed.deploy_version.empty()) {
        c.reason = "MarkerMissing";
        c.message = "no DEPLOY_MARKER on the drone: deploying " + wanted;
      } else {
        c.reason = "VersionMismatch";
        c.message = "runs " + observed.deploy_version + ", spec wants " + wanted;
      }
      break;
  }
  return out;
}

}  // namespace swarm::controller::reconcilers

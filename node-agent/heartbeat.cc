#include "node-agent/heartbeat.h"

#include <algorithm>
#include <random>
#include <set>

#include "api/json_body.h"
#include "api/quantity.h"

namespace swarm::agent {

std::string HeartbeatPath(const std::string& drone_name) {
  return "/api/v1/drones/" + drone_name + "/heartbeat";
}

api::DroneReport BuildDroneReport(const ProbeResult& probe, const HealthVerdict& health,
                                  const std::string& agent_version) {
  api::DroneReport r;
  r.deploy_version = probe.deploy_version;
  r.tree_revision = probe.tree_revision;
  r.health = HealthStateName(health.state);
  r.health_reason = health.reason;
  r.resources = probe.resources;
  r.agent_version = agent_version;
  return r;
}

Result<HeartbeatReply> ParseHeartbeatReply(const std::string& body,
                                           std::vector<std::string>* skipped) {
  auto j = api::ParseJsonBody(body);
  if (!j.ok()) return InvalidArgument("heartbeat reply is " + j.status().message());
  auto r = api::HeartbeatReplyFromJson(*j, skipped);
  if (!r.ok()) return r.status();
  r->heartbeat_interval = std::max(r->heartbeat_interval, kMinHeartbeatInterval);
  return r;
}

Duration BackoffDelay(int attempt, double jitter) {
  // Past 2^5 s the cap holds; stopping the doubling there also avoids overflow.
  int shift = std::clamp(attempt, 0, 5);
  Duration base = std::min<Duration>(Backoff::kInitial * (1 << shift), Backoff::kMax);
  jitter = std::clamp(jitter, 0.0, 1.0);
  auto cut = static_cast<Duration::rep>(static_cast<double>(base.count()) *
                                        Backoff::kJitterFraction * jitter);
  return base - Duration(cut);
}

Backoff::Backoff(std::function<double()> uniform01) : uniform01_(std::move(uniform01)) {
  if (!uniform01_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    uniform01_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

Duration Backoff::Next() { return BackoffDelay(failures_++, uniform01_()); }

}  // namespace swarm::agent

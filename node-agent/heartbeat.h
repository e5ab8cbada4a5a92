#pragma once

// The pieces of one heartbeat exchange that need no I/O: the request path and
// body, the reading of the controller's reply, and the retry backoff.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "api/replies.h"
#include "api/types.h"
#include "base/clock.h"
#include "base/status.h"
#include "node-agent/health.h"
#include "node-agent/probes.h"

namespace swarm::agent {

// "/api/v1/drones/<name>/heartbeat".
std::string HeartbeatPath(const std::string& drone_name);

// The observed state sent with a heartbeat.
api::DroneReport BuildDroneReport(const ProbeResult& probe, const HealthVerdict& health,
                                  const std::string& agent_version);

// What a 2xx heartbeat reply asks of the agent (api/replies.h).
using HeartbeatReply = api::HeartbeatReply;

// The shortest interval the agent honours: a controller that sends "0s" must
// not turn every drone into a request flood.
inline constexpr Duration kMinHeartbeatInterval{100};

// Parses a reply body with api::HeartbeatReplyFromJson (InvalidArgument,
// naming the field, when it is not a JSON object or a known field is wrong;
// items left out are described in `skipped`), then raises the interval to
// kMinHeartbeatInterval when below it.
Result<HeartbeatReply> ParseHeartbeatReply(const std::string& body,
                                           std::vector<std::string>* skipped);

// Delay before retry `attempt` (0 for the first retry): 1s doubling to a 30s
// cap, shortened by up to 20% by `jitter` (a draw in [0, 1)) so drones that
// lost the controller together do not come back in lockstep.
Duration BackoffDelay(int attempt, double jitter);

// Exponential backoff over consecutive failures.
// Thread safety: not thread-safe.
class Backoff {
 public:
  static constexpr Duration kInitial{1000};
  static constexpr Duration kMax{30000};
  static constexpr double kJitterFraction = 0.2;

  // `uniform01` returns draws in [0, 1); empty means a seeded random engine.
  explicit Backoff(std::function<double()> uniform01 = {});

  // The delay after one more failure.
  Duration Next();
  // After a success: the next failure waits kInitial again.
  void Reset() { failures_ = 0; }
  // Consecutive failures so far.
  int failures() const { return failures_; }

 private:
  std::function<double()> uniform01_;
  int failures_ = 0;
};

}  // namespace swarm::agent

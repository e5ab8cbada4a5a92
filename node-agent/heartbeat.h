#pragma once

// The pieces of one heartbeat exchange that need no I/O: the request path and
// body, the reading of the controller's reply, and the retry backoff.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/protocol.h"
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

// What a 2xx heartbeat reply asks of the agent. Fields the reply leaves out
// keep the documented defaults (5s; 15s, 85%, 90%).
struct HeartbeatReply {
  Duration heartbeat_interval{5000};
  api::HealthPolicy health;
  // Kept as sent for the parts of the agent that carry them out; each is an
  // array (empty when absent).
  nlohmann::json actions = nlohmann::json::array();
  nlohmann::json assignments = nlohmann::json::array();
};

// The shortest interval the agent honours: a controller that sends "0s" must
// not turn every drone into a request flood.
inline constexpr Duration kMinHeartbeatInterval{100};

// Parses a reply body. InvalidArgument (naming the field) when it is not a
// JSON object, or a known field has the wrong type or an out-of-range value
// (percentages are integers 1..100). Unknown fields are ignored, so newer
// controllers can talk to older agents. The interval is raised to
// kMinHeartbeatInterval when below it.
Result<HeartbeatReply> ParseHeartbeatReply(const std::string& body);

// True when `id` may name a file and a URL path segment: 1 to 128 of
// [A-Za-z0-9._-], not starting with '.'. Ids come from the controller and end
// up in stateDir/logs/<id>.log and /actions/<id>.
bool IsSafeActionId(const std::string& id);

// The reply's `actions` array as actions. An item that does not decode, or
// whose id is not safe, is skipped and described in `problems` ("actions[2]:
// ..."); the others are still returned, in order.
std::vector<api::Action> ParseActions(const nlohmann::json& actions,
                                      std::vector<std::string>* problems);

// The reply's `assignments` array as build assignments. An item that does
// not decode, whose id is not safe (IsSafeActionId: it names the build log and
// the report paths), or whose id repeats an earlier item's, is skipped and
// described in `problems` ("assignments[1]: ..."); the others are returned,
// in order.
std::vector<api::BuildAssignment> ParseAssignments(const nlohmann::json& assignments,
                                                   std::vector<std::string>* problems);

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

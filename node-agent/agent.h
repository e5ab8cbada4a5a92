#pragma once

// The heartbeat loop: probe the drone, judge its health, report to the
// controller, apply the reply's interval and health policy, wait, repeat.
// While the controller is away or refuses, the agent retries with backoff and
// never exits for it; only Stop() ends Run().

#include <atomic>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "api/types.h"
#include "base/clock.h"
#include "base/http_client.h"
#include "base/status.h"
#include "node-agent/health.h"
#include "node-agent/heartbeat.h"
#include "node-agent/probes.h"
#include "node-agent/sleeper.h"

namespace swarm::agent {

// How the agent reaches the controller; tests substitute a fake.
// Thread safety: used by the loop's thread only.
class ControllerTransport {
 public:
  virtual ~ControllerTransport() = default;
  // POSTs `json_body` to `path`. Any HTTP status is a response; Unavailable
  // when the controller cannot be reached.
  virtual Result<HttpResponse> Post(const std::string& path, const std::string& json_body) = 0;
};

// The real transport: base/http_client.h, which carries the bearer token.
class HttpControllerTransport final : public ControllerTransport {
 public:
  explicit HttpControllerTransport(std::unique_ptr<HttpClient> client)
      : client_(std::move(client)) {}
  Result<HttpResponse> Post(const std::string& path, const std::string& json_body) override {
    return client_->Post(path, json_body);
  }

 private:
  std::unique_ptr<HttpClient> client_;
};

// Where the agent stands with the controller; the log gets one line per change.
enum class LinkState {
  kStarting,     // no heartbeat answered yet
  kJoined,       // the last heartbeat was accepted
  kUnreachable,  // the controller could not be reached
  kRefused,      // the controller answered with an error status
  kBadReply,     // a 2xx reply the agent cannot read
};
const char* LinkStateName(LinkState s);

struct AgentOptions {
  std::string name;            // the drone's name: the heartbeat path
  std::string controller_url;  // for log lines
  std::string agent_version = SWARM_VERSION;
};

// Thread safety: Run() on one thread; Stop() from any thread; the accessors
// from the Run() thread, or after Run() returned.
class Agent {
 public:
  // None of the pointers is owned; each must outlive the Agent. An empty
  // `uniform01` gives the backoff a seeded random jitter.
  Agent(AgentOptions options, Prober* prober, ControllerTransport* transport, Sleeper* sleeper,
        Clock* clock, std::function<double()> uniform01 = {});

  // Heartbeats until Stop(); returns promptly after it.
  void Run();
  // Ends Run(): interrupts the current wait (a request in flight finishes
  // first, bounded by the HTTP timeout). Safe from a signal-handling thread.
  void Stop();

  // One iteration: probe, judge health, send the heartbeat, read the reply.
  // Returns how long to wait before the next one: the controller's interval
  // after success, the backoff delay after a failure.
  Duration Beat();

  LinkState link_state() const { return link_; }
  // The message of the last failure (empty while joined).
  const std::string& link_message() const { return link_message_; }
  const api::HealthPolicy& policy() const { return policy_; }
  Duration heartbeat_interval() const { return interval_; }
  const HealthVerdict& health() const { return health_.current(); }
  // The reply of the last accepted heartbeat.
  const HeartbeatReply& last_reply() const { return last_reply_; }

 private:
  // Sends one report; returns the link state it leads to, with a message.
  LinkState Exchange(const api::DroneReport& report, std::string* message);
  void SetLink(LinkState next, const std::string& message);
  void LogProblems(const std::vector<std::string>& problems);
  void LogHealth(const HealthVerdict& before, const HealthVerdict& after);
  void ApplyReply(const HeartbeatReply& reply);

  AgentOptions options_;
  Prober* prober_;
  ControllerTransport* transport_;
  Sleeper* sleeper_;
  Clock* clock_;
  std::atomic<bool> stop_{false};

  HealthMonitor health_;
  api::HealthPolicy policy_ = DefaultHealthPolicy();
  Duration interval_ = HeartbeatReply{}.heartbeat_interval;
  HeartbeatReply last_reply_;
  Backoff backoff_;
  LinkState link_ = LinkState::kStarting;
  std::string link_message_;
  bool ever_joined_ = false;
  std::set<std::string> problems_;
};

}  // namespace swarm::agent

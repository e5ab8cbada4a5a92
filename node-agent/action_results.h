#pragma once

// Delivery of action results to the controller. A result is kept until the
// controller has answered it for good: accepted, or refused as one it will
// never take. While the controller is away a result waits for the next
// heartbeat tick, whose backoff paces the retries.

#include <deque>
#include <string>

#include "api/protocol.h"
#include "node-agent/transport.h"

namespace swarm::agent {

// "/api/v1/drones/<name>/actions/<id>".
std::string ActionResultPath(const std::string& drone_name, const std::string& action_id);

// Thread safety: not thread-safe; the heartbeat loop's thread uses it.
class ResultOutbox {
 public:
  // Holds `result` for delivery after those already held.
  void Add(api::ActionResult result);

  // POSTs every held result, oldest first. 2xx: delivered. 400, 403, 404 and
  // 409: dropped, logged once (the controller will never accept it: a result
  // it already has, an id it did not issue). Any other status, or a transport
  // error: kept for the next call; a transport error also ends this call, as
  // the rest would fail alike. Returns how many results are still held.
  size_t Deliver(ControllerTransport& transport, const std::string& drone_name);

  const std::deque<api::ActionResult>& pending() const { return pending_; }

 private:
  std::deque<api::ActionResult> pending_;
};

}  // namespace swarm::agent

#pragma once

// What the controller exports at GET /metrics (docs/operations.md lists each
// metric). Counters and histograms are fed where things happen: committed
// decisions (a build started or ended, an event) through the writer's
// listener interface, request timings from the API server, pass timings from
// the work queue. Gauges are read from the counts the swarm pass computed
// last (SetCounts), so a scrape is O(metrics), never O(roster) or O(queue),
// and takes no controller lock.
// Thread safety: every method may be called from any thread.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/types.h"
#include "base/clock.h"
#include "controller/metrics/registry.h"
#include "controller/state/writer.h"

namespace swarm::controller::metrics {

// Drones by what an operator filters them by, as the swarm pass saw them.
struct DroneKey {
  std::string ready;   // the Ready condition's status: True, False, Unknown
  std::string health;  // as the agent reported it: HEALTHY, ...; "" before any report
  bool grounded = false;
  bool cordoned = false;
  auto operator<=>(const DroneKey&) const = default;
};

class SwarmMetrics : public CommitListener {
 public:
  // Neither is owned; both outlive this.
  SwarmMetrics(Registry* registry, Clock* clock);

  // CommitListener: builds started and ended, what they published, the idle
  // gap of their drones; events counted by what they say happened, and a
  // discovery timed from its DiscoveryIssued to its QueueDiscovered.
  void PackageChanged(const api::Package& before, const api::Package& after) override;
  void EventRecorded(const api::Event& e) override;

  // The swarm pass's counts; O(their size).
  void SetCounts(std::map<DroneKey, int> drones, const api::QueueSummary& queue);

  // How a request ended and how long it took (unknown for a request no route
  // answered), by route (the route's pattern, never the path: drone names
  // would make a series per drone).
  void ObserveRequest(const std::string& route, int code, std::optional<double> seconds);
  // A reconcile pass of the work queue ("drone" or "swarm").
  void ObservePass(const std::string& pass, double seconds);

  Registry* registry() { return registry_; }

 private:
  Registry* const registry_;
  Clock* const clock_;
  Counter* builds_started_;
  Counter* builds_succeeded_;
  Counter* builds_failed_;  // by class
  Counter* builds_returned_;
  Counter* builds_lost_;  // by reason: lost, reclaimed, withdrawn
  Counter* published_bytes_;
  Counter* verification_failures_;
  Counter* systemic_faults_;
  Counter* groundings_;
  Counter* requests_;  // by route and code
  Histogram* build_seconds_;
  Histogram* request_seconds_;  // by route
  Histogram* idle_gap_seconds_;
  Histogram* discovery_seconds_;
  Histogram* pass_seconds_;  // by pass

  mutable std::mutex mu_;
  std::map<DroneKey, int> drones_;                     // guarded by mu_
  api::QueueSummary queue_;                            // guarded by mu_
  std::unordered_map<std::string, SteadyTime> ended_;  // drone -> its last build's end; mu_
  std::optional<SteadyTime> discovery_issued_;         // guarded by mu_
  // Package -> the failure class it ended with, until its commit's event.
  std::unordered_map<std::string, std::string> ending_class_;  // guarded by mu_
};

}  // namespace swarm::controller::metrics

#pragma once

// One decision of the controller: everything it writes (packages, drone
// statuses, the Swarm, the queue, events), applied by StateWriter::Commit as
// one store transaction and then to memory. Concerns decide into a Changes;
// none writes the store or the state itself.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/types.h"
#include "controller/state/state.h"

namespace swarm::controller {

struct Changes {
  std::map<std::string, api::Package> packages;    // by name, replaced in place
  std::map<std::string, api::DroneStatus> drones;  // by name, stored
  // By name, in memory only: what a heartbeat reports that a restart need not
  // keep (liveness, load, progress). A name also in `drones` is stored instead.
  std::map<std::string, api::DroneStatus> observed;
  std::set<std::string> removed_drones;          // deleted from the store
  std::optional<api::Swarm> swarm;               // resourceVersion bumped on commit
  std::optional<std::vector<api::Package>> queue;  // replaces the whole queue
  std::vector<api::Event> events;                // timestamped on commit
  // By name: stored whole, or (nullopt) deleted.
  std::map<std::string, std::optional<api::Release>> releases;

  // The drone's status as this decision leaves it (a copy of the state's
  // until changed here).
  api::DroneStatus& Drone(const SwarmState& state, const std::string& name);
  // The same, read only: no copy is made.
  const api::DroneStatus& PeekDrone(const SwarmState& state, const std::string& name) const;
  // Package `index` of the state's queue as this decision leaves it.
  api::Package& Package(const SwarmState& state, size_t index);
  // The Swarm as this decision leaves it.
  api::Swarm& Swarm(const SwarmState& state);
  // The one way an event is made; Commit gives it its time.
  void Event(const std::string& kind, const std::string& name, const std::string& type,
             const std::string& reason, std::string message);
  bool empty() const;
};

}  // namespace swarm::controller

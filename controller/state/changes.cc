#include "controller/state/changes.h"

namespace swarm::controller {

api::DroneStatus& Changes::Drone(const SwarmState& state, const std::string& name) {
  auto it = drones.find(name);
  if (it != drones.end()) return it->second;
  return drones[name] = state.Status(name);
}

const api::DroneStatus& Changes::PeekDrone(const SwarmState& state,
                                          const std::string& name) const {
  auto it = drones.find(name);
  return it != drones.end() ? it->second : state.Status(name);
}

api::Package& Changes::Package(const SwarmState& state, size_t index) {
  const api::Package& p = state.packages[index];
  auto it = packages.find(p.name);
  if (it != packages.end()) return it->second;
  return packages[p.name] = p;
}

api::Swarm& Changes::Swarm(const SwarmState& state) {
  if (!swarm) swarm = *state.swarm;
  return *swarm;
}

void Changes::Event(const std::string& kind, const std::string& name, const std::string& type,
                    const std::string& reason, std::string message) {
  api::Event e;
  e.object_kind = kind;
  e.object_name = name;
  e.type = type;
  e.reason = reason;
  e.message = std::move(message);
  events.push_back(std::move(e));
}

bool Changes::empty() const {
  return packages.empty() && drones.empty() && observed.empty() && removed_drones.empty() &&
         !swarm && !queue && events.empty() && releases.empty();
}

}  // namespace swarm::controller

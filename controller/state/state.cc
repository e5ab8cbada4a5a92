#include "controller/state/state.h"

#include "controller/reconcilers/capacity.h"

namespace swarm::controller {

const api::DroneSpec* SwarmState::RosterMember(const std::string& name) const {
  if (!swarm) return nullptr;
  const auto& drones = swarm->spec.drones;
  if (roster_generation_ != swarm->metadata.generation || roster_.size() > drones.size()) {
    roster_.clear();
    for (size_t i = 0; i < drones.size(); ++i) roster_.emplace(drones[i].name, i);
    roster_generation_ = swarm->metadata.generation;
  }
  auto it = roster_.find(name);
  if (it == roster_.end() || it->second >= drones.size() || drones[it->second].name != name) {
    return nullptr;
  }
  return &drones[it->second];
}

const api::DroneStatus& SwarmState::Status(const std::string& name) const {
  static const api::DroneStatus kNone;
  auto it = statuses.find(name);
  return it == statuses.end() ? kNone : it->second;
}

bool SwarmState::SystemicFault() const {
  return swarm && api::IsConditionTrue(swarm->status.conditions, api::condition::kSystemicFault);
}

const api::Release* SwarmState::FindRelease(const std::string& name) const {
  for (const auto& r : releases) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

// The heartbeat stores the report capped already; the labels are applied
// again for a roster changed since the drone's last beat.
int64_t SwarmState::DroneMemory(const std::string& name) const {
  const api::DroneSpec* member = RosterMember(name);
  const int64_t label = member ? reconcilers::LabelsOf(*member).memory_bytes : 0;
  return reconcilers::Counted(label, Status(name).resources.memory_bytes);
}

int SwarmState::DroneCores(const std::string& name) const {
  const api::DroneSpec* member = RosterMember(name);
  const int label = member ? reconcilers::LabelsOf(*member).cores : 0;
  return static_cast<int>(reconcilers::Counted(label, Status(name).resources.cores));
}

bool SwarmState::Uploading(const std::string& drone, const std::string& assignment) const {
  for (const auto& b : Status(drone).builds) {
    if (b.assignment == assignment) return b.state == api::kBuildUploading;
  }
  return false;
}

int SwarmState::RunningOn(const std::string& drone) const {
  int n = 0;
  for (size_t i : packages.BuildingOn(drone)) n += Uploading(drone, packages[i].assignment) ? 0 : 1;
  return n;
}

}  // namespace swarm::controller

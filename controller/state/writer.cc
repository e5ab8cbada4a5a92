#include "controller/state/writer.h"

#include <algorithm>

namespace swarm::controller {

void SortReleases(std::vector<api::Release>& releases) {
  std::stable_sort(releases.begin(), releases.end(),
                   [](const api::Release& a, const api::Release& b) {
                     return a.created != b.created ? a.created < b.created : a.name < b.name;
                   });
}

Status StateWriter::Write(const Changes& c, std::vector<api::Event>* recorded) {
  const bool durable = !c.packages.empty() || !c.drones.empty() || !c.removed_drones.empty() ||
                       c.swarm || c.queue || !c.events.empty() || !c.releases.empty();
  if (!durable) return Status::Ok();
  return store_->Transaction([&]() -> Status {
    const WallTime now = clock_->Now();
    for (api::Event e : c.events) {
      e.first_timestamp = e.last_timestamp = now;
      auto stored = store_->RecordEvent(e);
      if (!stored.ok()) return stored.status();
      recorded->push_back(std::move(*stored));
    }
    if (c.queue) {
      if (Status s = store_->ReplacePackages(*c.queue); !s.ok()) return s;
    }
    for (const auto& [name, p] : c.packages) {
      if (Status s = store_->PutPackage(p); !s.ok()) return s;
    }
    for (const auto& name : c.removed_drones) {
      if (Status s = store_->DeleteDrone(name); !s.ok()) return s;
    }
    for (const auto& [name, s] : c.drones) {
      if (Status e = store_->PutDroneStatus(name, s); !e.ok()) return e;
    }
    for (const auto& [name, r] : c.releases) {
      if (Status s = r ? store_->PutRelease(*r) : store_->DeleteRelease(name); !s.ok()) return s;
    }
    if (!c.swarm) return Status::Ok();
    // The spec is written only when the generation moved (an apply).
    const std::optional<api::Swarm>& current = state_->swarm;
    if (current && current->metadata.generation == c.swarm->metadata.generation) {
      return store_->PutSwarmStatus(*c.swarm);
    }
    return store_->PutSwarm(*c.swarm);
  });
}

Status StateWriter::Commit(Changes c) {
  if (c.empty()) return Status::Ok();
  // What memory would not apply is not written either.
  if (c.queue && !c.packages.empty()) {
    return Internal("one decision both replaces the queue and changes packages of it");
  }
  for (const auto& [name, p] : c.packages) {
    if (!state_->packages.IndexOf(name)) return Internal("no package " + name + " is queued");
  }
  if (c.swarm) ++c.swarm->metadata.resource_version;
  std::vector<api::Event> recorded;
  if (Status st = Write(c, &recorded); !st.ok()) return st;

  SwarmState& state = *state_;
  if (c.queue) {
    const std::vector<api::Package> before = state.packages.packages();
    state.packages.Replace(std::move(*c.queue));
    for (auto* l : listeners_) l->QueueReplaced(before, state.packages);
  }
  for (auto& [name, next] : c.packages) {
    auto i = state.packages.IndexOf(name);
    if (!i) continue;
    const api::Package before = state.packages[*i];
    state.packages.Set(*i, std::move(next));
    for (auto* l : listeners_) l->PackageChanged(before, state.packages[*i]);
  }
  for (const auto& name : c.removed_drones) state.statuses.erase(name);
  for (auto& [name, s] : c.observed) {
    if (c.drones.count(name)) continue;
    state.statuses[name] = std::move(s);
    for (auto* l : listeners_) l->DroneChanged(name);
  }
  for (auto& [name, s] : c.drones) {
    state.statuses[name] = std::move(s);
    for (auto* l : listeners_) l->DroneChanged(name);
  }
  if (!c.releases.empty()) {
    for (auto& [name, r] : c.releases) {
      auto it = std::find_if(state.releases.begin(), state.releases.end(),
                             [&name = name](const api::Release& x) { return x.name == name; });
      if (it != state.releases.end()) state.releases.erase(it);
      if (r) state.releases.push_back(std::move(*r));
    }
    SortReleases(state.releases);
    for (auto* l : listeners_) l->ReleasesChanged(state.releases);
  }
  if (c.swarm) {
    // Within a generation only metadata and status change, so references to
    // the spec held across a commit stay valid.
    if (state.swarm && state.swarm->metadata.generation == c.swarm->metadata.generation) {
      state.swarm->metadata = std::move(c.swarm->metadata);
      state.swarm->status = std::move(c.swarm->status);
    } else {
      state.swarm = std::move(*c.swarm);
    }
    for (auto* l : listeners_) l->SwarmChanged(*state.swarm);
  }
  for (const auto& e : recorded) {
    for (auto* l : listeners_) l->EventRecorded(e);
  }
  for (auto* l : listeners_) l->Committed();
  return Status::Ok();
}

}  // namespace swarm::controller

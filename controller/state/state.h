#pragma once

// What the controller knows, in memory: the Swarm, each roster member's
// observed status and the build queue. A mirror of the store that only
// StateWriter::Commit changes (core/writer.h); every concern reads it.
// Thread safety: none; the controller's lock serializes every use.

#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/protocol.h"
#include "api/types.h"
#include "controller/state/package_queue.h"

namespace swarm::controller {

class SwarmState {
 public:
  std::optional<api::Swarm> swarm;                   // the stored Swarm
  std::map<std::string, api::DroneStatus> statuses;  // by drone name
  PackageQueue packages;                             // the stored queue, indexed
  // The binhost's releases, oldest first (by when cut): a handful, as
  // spec.binhost.keepReleases keeps them.
  std::vector<api::Release> releases;

  // The roster member `name`, or null (also before the first apply). O(1):
  // the index is rebuilt when the generation moves.
  const api::DroneSpec* RosterMember(const std::string& name) const;
  // The drone's status, or an empty one when it has none yet.
  const api::DroneStatus& Status(const std::string& name) const;
  bool SystemicFault() const;
  // The release of that name, or null.
  const api::Release* FindRelease(const std::string& name) const;
  // The drone's memory as counted: what it reports, capped by its memory
  // label (the label alone before it reports); 0 unknown.
  int64_t DroneMemory(const std::string& name) const;
  // Its cores, the same way with its cores label; 0 unknown.
  int DroneCores(const std::string& name) const;
  // Whether the drone's last heartbeat listed `assignment` as ended, its
  // report on the way (api::kBuildUploading): it holds no slot there.
  bool Uploading(const std::string& drone, const std::string& assignment) const;
  // The drone's builds that still hold a slot: Building there, not Uploading.
  int RunningOn(const std::string& drone) const;

 private:
  mutable std::unordered_map<std::string, size_t> roster_;  // name -> index in spec.drones
  mutable int64_t roster_generation_ = -1;
};

}  // namespace swarm::controller

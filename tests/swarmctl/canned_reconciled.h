#pragma once

// Replies of a controller whose reconcilers run: swarm/home converged on
// tree b001a823ca12 and deploy 2026.02.05, its three members Ready, Deployed
// and TreeSynced, and a queue of six packages, as seen at CannedNow(). Tests
// change single conditions to build the other situations.

#include <cstdint>
#include <string>

namespace swarm::ctl::testing {

inline const std::string kReconciledSwarm = R"({
  "apiVersion": "buildswarm.io/v1alpha1", "kind": "Swarm",
  "metadata": {"name": "home", "generation": 4, "resourceVersion": 12,
               "creationTimestamp": "2026-02-03T10:30:00Z",
               "annotations": {"buildswarm.io/fresh-requested-at": "2026-02-05T09:00:00Z"}},
  "spec": {
    "portage": {"treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96"},
    "deploy": {"version": "2026.02.05"},
    "queue": {"discoverOn": "desktop", "targets": ["@world"],
              "emergeArgs": "--update --deep --newuse --with-bdeps=y", "packages": [],
              "requirements": []},
    "drones": [{"name": "drone-izar"}, {"name": "drone-meridian"},
               {"name": "desktop", "roles": ["discover"]}],
    "policy": {"heartbeatInterval": "5s", "heartbeatGrace": "20s", "groundAfterFailures": 5,
               "groundingCooldown": "5m", "systemicFailureFraction": 0.5, "scheduling": "critical-path",
               "requireCapacityLabels": false,
               "health": {"probeInterval": "15s", "memoryDegradedPercent": 85,
                          "diskDegradedPercent": 90}}
  },
  "status": {
    "observedGeneration": 4,
    "conditions": [
      {"type": "Deployed", "status": "True", "reason": "AllDeployed",
       "message": "every member runs 2026.02.05", "lastTransitionTime": "2026-02-05T09:10:00Z"},
      {"type": "TreeSynced", "status": "True", "reason": "AllSynced",
       "message": "every member has b001a823ca12", "lastTransitionTime": "2026-02-05T09:12:00Z"},
      {"type": "QueueCurrent", "status": "True", "reason": "Current",
       "message": "discovered on desktop against b001a823ca12 and 2026.02.05",
       "lastTransitionTime": "2026-02-05T09:15:00Z"},
      {"type": "SystemicFault", "status": "False", "reason": "NoFault", "message": "",
       "lastTransitionTime": "2026-02-03T10:30:00Z"},
      {"type": "Converged", "status": "True", "reason": "Converged",
       "message": "members deployed and synced, queue current",
       "lastTransitionTime": "2026-02-05T09:15:00Z"},
      {"type": "DronesReady", "status": "True", "reason": "AllDronesReady",
       "message": "3 of 3 members heartbeat", "lastTransitionTime": "2026-02-05T09:00:00Z"}],
    "queue": {"treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05", "queueSpec": "5d3c0a9e6b1f2874", "total": 6,
              "needed": 1, "building": 2,
              "complete": 1, "failed": 1, "blocked": 1},
    "release": {"promoted": "2026-02-04T0300Z-9fc7a49a", "latest": "2026-02-04T0300Z-9fc7a49a"},
    "observedFreshRequest": "2026-02-05T09:00:00Z"
  }
})";

// A converged member: Ready, Deployed and TreeSynced, building `assignment`
// (its id `assignment_id`) when it is not empty, with `memory_bytes` of memory.
inline std::string ConvergedDrone(const std::string& name, const std::string& role,
                                  const std::string& assignment,
                                  const std::string& assignment_id = "",
                                  int64_t memory_bytes = 34359738368) {
  const std::string assignments = assignment.empty() ? "" : "\"" + assignment + "\"";
  const std::string builds = assignment.empty()
                                 ? ""
                                 : R"({"assignment": ")" + assignment_id + R"(", "package": ")" +
                                       assignment + R"(", "state": "Running"})";
  return R"({"apiVersion": "buildswarm.io/v1alpha1", "kind": "Drone",
  "metadata": {"name": ")" +
         name + R"("}, "spec": {"labels": {}, "roles": [")" + role + R"("]},
  "status": {
    "conditions": [
      {"type": "Ready", "status": "True", "reason": "HeartbeatReceived",
       "message": "heartbeats arrive", "lastTransitionTime": "2026-02-05T09:00:00Z"},
      {"type": "Deployed", "status": "True", "reason": "Deployed",
       "message": "runs 2026.02.05", "lastTransitionTime": "2026-02-05T09:10:00Z"},
      {"type": "TreeSynced", "status": "True", "reason": "Synced",
       "message": "has b001a823ca12", "lastTransitionTime": "2026-02-05T09:12:00Z"}],
    "health": "HEALTHY", "healthReason": "",
    "deployVersion": "2026.02.05", "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
    "resources": {"cores": 16, "memoryBytes": )" +
         std::to_string(memory_bytes) + R"(, "memoryUsedPercent": 40,
                  "diskUsedPercent": 50, "load1": 2},
    "assignments": [)" +
         assignments + R"(],
    "actions": [],
    "builds": [)" +
         builds + R"(],
    "cordoned": false,
    "consecutiveFailures": 0,
    "lastHeartbeatTime": "2026-02-05T10:30:00Z"}})";
}

inline const std::string kConvergedDrones =
    R"({"apiVersion": "buildswarm.io/v1alpha1", "kind": "DroneList", "items": [)" +
    ConvergedDrone("desktop", "discover", "") + "," +
    ConvergedDrone("drone-izar", "build", "dev-libs/openssl-3.3.3", "7c1e09aa-b42") + "," +
    ConvergedDrone("drone-meridian", "build", "dev-qt/qtwebengine-6.8.1", "3d5f7a21-c09",
                   68719476736) +
    "]}";

// As PackageToJson writes them. mesa is Blocked as build_outcome words it
// after a Package failure on two drones; qtwebengine was OOM-killed on
// drone-izar (32Gi) and now builds on drone-meridian (64Gi).
inline const std::string kPackageList = R"json({
  "apiVersion": "buildswarm.io/v1alpha1", "kind": "PackageList", "items": [
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "sys-apps/systemd-utils-6.22.0"}, "spec": {"dependencies": []},
   "status": {"phase": "Complete", "drone": "drone-izar", "attempts": 1, "excludedDrones": [],
              "indexEntry": "", "lastFailure": null, "reason": "",
              "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05", "assignment": "",
              "startedAt": "2026-02-05T09:20:00Z", "needsMemoryOver": 0,
              "needsMemoryCause": "", "packageFailureDrones": [],
              "binpkg": {"path": "sys-apps/systemd-utils/systemd-utils-6.22.0-1.gpkg.tar",
                         "size": 5263360,
                         "sha256": "0f3a5e8c0d5b2f7c9e1a4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a"},
              "buildMs": 254000, "buildCpuMs": 0, "buildCores": 0, "completedAt": "2026-02-05T09:24:14Z", "estimatedMs": 0, "estimatedCpuMs": 0, "estimatedCores": 0}},
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "dev-libs/openssl-3.3.3"},
   "spec": {"dependencies": ["sys-apps/systemd-utils-6.22.0"]},
   "status": {"phase": "Building", "drone": "drone-izar", "attempts": 1, "excludedDrones": [],
              "indexEntry": "", "lastFailure": null, "reason": "",
              "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05", "assignment": "7c1e09aa-b42",
              "startedAt": "2026-02-05T10:10:00Z", "needsMemoryOver": 0,
              "needsMemoryCause": "", "packageFailureDrones": [], "binpkg": null,
              "buildMs": 0, "buildCpuMs": 0, "buildCores": 0, "completedAt": null, "estimatedMs": 0, "estimatedCpuMs": 0, "estimatedCores": 0}},
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "dev-qt/qtwebengine-6.8.1"}, "spec": {"dependencies": []},
   "status": {"phase": "Building", "drone": "drone-meridian", "attempts": 2,
              "excludedDrones": ["drone-izar"],
              "indexEntry": "", "lastFailure": {"class": "DroneResources",
                              "message": "Killed signal terminated program cc1plus",
                              "drone": "drone-izar"},
              "reason": "", "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05", "assignment": "3d5f7a21-c09",
              "startedAt": "2026-02-05T10:05:00Z", "needsMemoryOver": 34359738368,
              "needsMemoryCause": "OOM on drone-izar (32Gi)", "packageFailureDrones": [],
              "binpkg": null, "buildMs": 0, "buildCpuMs": 0, "buildCores": 0, "completedAt": null, "estimatedMs": 0, "estimatedCpuMs": 0, "estimatedCores": 0}},
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "net-misc/curl-8.11.1"},
   "spec": {"dependencies": ["dev-libs/openssl-3.3.3", "sys-apps/systemd-utils-6.22.0"]},
   "status": {"phase": "Needed", "drone": "", "attempts": 0, "excludedDrones": [],
              "indexEntry": "", "lastFailure": null, "reason": "",
              "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05", "assignment": "", "startedAt": null,
              "needsMemoryOver": 0, "needsMemoryCause": "", "packageFailureDrones": [],
              "binpkg": null, "buildMs": 0, "buildCpuMs": 0, "buildCores": 0, "completedAt": null, "estimatedMs": 0, "estimatedCpuMs": 0, "estimatedCores": 0}},
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "media-libs/mesa-24.3.3"}, "spec": {"dependencies": []},
   "status": {"phase": "Blocked", "drone": "", "attempts": 2,
              "excludedDrones": ["drone-izar", "drone-meridian"],
              "indexEntry": "", "lastFailure": {"class": "Package",
                              "message": "compile error in src/gallium/drivers/radeonsi",
                              "drone": "drone-meridian"},
              "reason": "failed to build on drone-izar and drone-meridian (last: compile error in src/gallium/drivers/radeonsi); fix the package or its USE flags, then swarmctl fresh",
              "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05", "assignment": "", "startedAt": null,
              "needsMemoryOver": 0, "needsMemoryCause": "",
              "packageFailureDrones": ["drone-izar", "drone-meridian"], "binpkg": null,
              "buildMs": 0, "buildCpuMs": 0, "buildCores": 0, "completedAt": null, "estimatedMs": 0, "estimatedCpuMs": 0, "estimatedCores": 0}},
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "app-misc/broken-1.0"}, "spec": {"dependencies": []},
   "status": {"phase": "Failed", "drone": "", "attempts": 3, "excludedDrones": [],
              "indexEntry": "", "lastFailure": {"class": "Fetch", "message": "broken-1.0.tar.gz: no mirror has it",
                              "drone": "drone-izar"},
              "reason": "gave up after 3 fetch failures",
              "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05", "assignment": "", "startedAt": null,
              "needsMemoryOver": 0, "needsMemoryCause": "", "packageFailureDrones": [],
              "binpkg": null, "buildMs": 0, "buildCpuMs": 0, "buildCores": 0, "completedAt": null, "estimatedMs": 0, "estimatedCpuMs": 0, "estimatedCores": 0}}]})json";

inline const std::string kFreshReply =
    R"({"requestedAt": "2026-02-05T16:30:00Z", "members": ["desktop", "drone-izar",)"
    R"( "drone-meridian"], "queuedPackages": 149})";

}  // namespace swarm::ctl::testing

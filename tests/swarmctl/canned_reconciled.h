#pragma once

// Replies of a controller whose reconcilers run: swarm/home converged on
// tree b001a823ca12 and deploy 2026.02.05, its three members Ready, Deployed
// and TreeSynced, and a queue of six packages, as seen at CannedNow(). Tests
// change single conditions to build the other situations.

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
               "groundingCooldown": "5m", "systemicFailureFraction": 0.5,
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
              "deployVersion": "2026.02.05", "total": 6, "needed": 1, "building": 2,
              "complete": 1, "failed": 1, "blocked": 1},
    "observedFreshRequest": "2026-02-05T09:00:00Z"
  }
})";

// A converged member: Ready, Deployed and TreeSynced, building `assignment`
// when it is not empty.
inline std::string ConvergedDrone(const std::string& name, const std::string& role,
                                  const std::string& assignment) {
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
    "resources": {"cores": 16, "memoryBytes": 34359738368, "memoryUsedPercent": 40,
                  "diskUsedPercent": 50, "load1": 2},
    "assignments": [)" +
         (assignment.empty() ? "" : "\"" + assignment + "\"") + R"(],
    "actions": [],
    "consecutiveFailures": 0,
    "lastHeartbeatTime": "2026-02-05T10:30:00Z"}})";
}

inline const std::string kConvergedDrones =
    R"({"apiVersion": "buildswarm.io/v1alpha1", "kind": "DroneList", "items": [)" +
    ConvergedDrone("desktop", "discover", "") + "," +
    ConvergedDrone("drone-izar", "build", "dev-libs/openssl-3.3.3") + "," +
    ConvergedDrone("drone-meridian", "build", "dev-qt/qtwebengine-6.8.1") + "]}";

inline const std::string kPackageList = R"({
  "apiVersion": "buildswarm.io/v1alpha1", "kind": "PackageList", "items": [
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "sys-apps/systemd-utils-6.22.0"}, "spec": {"dependencies": []},
   "status": {"phase": "Complete", "drone": "drone-izar", "attempts": 1, "excludedDrones": [],
              "lastFailure": null, "reason": "",
              "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05"}},
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "dev-libs/openssl-3.3.3"},
   "spec": {"dependencies": ["sys-apps/systemd-utils-6.22.0"]},
   "status": {"phase": "Building", "drone": "drone-izar", "attempts": 1, "excludedDrones": [],
              "lastFailure": null, "reason": "",
              "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05"}},
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "dev-qt/qtwebengine-6.8.1"}, "spec": {"dependencies": []},
   "status": {"phase": "Building", "drone": "drone-meridian", "attempts": 2,
              "excludedDrones": ["drone-izar"],
              "lastFailure": {"class": "DroneResources", "message": "killed by the OOM killer",
                              "drone": "drone-izar"},
              "reason": "", "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05"}},
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "net-misc/curl-8.11.1"},
   "spec": {"dependencies": ["dev-libs/openssl-3.3.3", "sys-apps/systemd-utils-6.22.0"]},
   "status": {"phase": "Needed", "drone": "", "attempts": 0, "excludedDrones": [],
              "lastFailure": null, "reason": "",
              "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05"}},
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "media-libs/mesa-24.3.3"}, "spec": {"dependencies": []},
   "status": {"phase": "Blocked", "drone": "", "attempts": 2,
              "excludedDrones": ["drone-izar", "drone-meridian"],
              "lastFailure": {"class": "Package",
                              "message": "compile error in src/gallium/drivers/radeonsi",
                              "drone": "drone-meridian"},
              "reason": "failed alike on drone-izar and drone-meridian: compile error",
              "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05"}},
  {"apiVersion": "buildswarm.io/v1alpha1", "kind": "Package",
   "metadata": {"name": "app-misc/broken-1.0"}, "spec": {"dependencies": []},
   "status": {"phase": "Failed", "drone": "", "attempts": 3, "excludedDrones": [],
              "lastFailure": {"class": "Fetch", "message": "broken-1.0.tar.gz: no mirror has it",
                              "drone": "drone-izar"},
              "reason": "gave up after 3 fetch failures",
              "treeRevision": "b001a823ca122d7f3a95b7d6ea4bac03c4968e96",
              "deployVersion": "2026.02.05"}}]})";

inline const std::string kFreshReply =
    R"({"requestedAt": "2026-02-05T16:30:00Z", "members": ["desktop", "drone-izar",)"
    R"( "drone-meridian"], "queuedPackages": 149})";

}  // namespace swarm::ctl::testing

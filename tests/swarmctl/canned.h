#pragma once

// Replies of a controller managing swarm/home with three roster members:
// drone-izar (Ready), drone-meridian (heartbeats missed past the grace, so
// its assignment was taken back; its builds are as it last reported them)
// and desktop (never joined), as seen at kNow.

#include <string>

#include "base/clock.h"

namespace swarm::ctl::testing {

inline WallTime CannedNow() { return ParseTime("2026-02-05T10:30:05Z").value(); }

inline const std::string kIzar = R"({
  "apiVersion": "buildswarm.io/v1alpha1", "kind": "Drone",
  "metadata": {"name": "drone-izar"},
  "spec": {"labels": {"site": "milky-way", "cores": "16", "memory": "32Gi"}, "roles": ["build"]},
  "status": {
    "conditions": [{"type": "Ready", "status": "True", "reason": "HeartbeatReceived",
                    "message": "heartbeats arrive", "lastTransitionTime": "2026-02-05T09:00:00Z"}],
    "health": "HEALTHY",
    "healthReason": "",
    "deployVersion": "2026.02.05",
    "treeRevision": "9fc7a49ad6496faebea1c1d1848199fb6278bcec",
    "resources": {"cores": 16, "memoryBytes": 34359738368, "memoryUsedPercent": 41.5,
                  "diskUsedPercent": 63.0, "load1": 3.2},
    "assignments": [],
    "actions": [],
    "builds": [],
    "cordoned": false,
    "consecutiveFailures": 0,
    "lastHeartbeatTime": "2026-02-05T10:30:00Z"
  }
})";

inline const std::string kMeridian = R"({
  "apiVersion": "buildswarm.io/v1alpha1", "kind": "Drone",
  "metadata": {"name": "drone-meridian"},
  "spec": {"labels": {"cores": "24", "memory": "64Gi"}, "roles": ["build"]},
  "status": {
    "conditions": [{"type": "Ready", "status": "Unknown", "reason": "HeartbeatMissed",
                    "message": "no heartbeat for 20s", "lastTransitionTime": "2026-02-05T10:27:20Z"}],
    "health": "DEGRADED",
    "healthReason": "memory 90% >= 85%",
    "deployVersion": "2026.02.01",
    "treeRevision": "0123456789abcdef0123456789abcdef01234567",
    "resources": {"cores": 24, "memoryBytes": 33300000000, "memoryUsedPercent": 90.2,
                  "diskUsedPercent": 12.4, "load1": 11.75},
    "assignments": [],
    "actions": [],
    "builds": [{"assignment": "3d5f7a21-c09", "package": "dev-qt/qtwebengine-6.8.1",
                "state": "Running"}],
    "cordoned": false,
    "consecutiveFailures": 2,
    "lastHeartbeatTime": "2026-02-05T10:27:00Z"
  }
})";

inline const std::string kDesktop = R"({
  "apiVersion": "buildswarm.io/v1alpha1", "kind": "Drone",
  "metadata": {"name": "desktop"},
  "spec": {"labels": {}, "roles": ["discover"]},
  "status": {
    "conditions": [{"type": "Ready", "status": "Unknown", "reason": "NeverJoined",
                    "message": "no heartbeat received yet", "lastTransitionTime": "2026-02-05T08:00:00Z"}],
    "health": "",
    "healthReason": "",
    "deployVersion": "",
    "treeRevision": "",
    "resources": {"cores": 0, "memoryBytes": 0, "memoryUsedPercent": 0,
                  "diskUsedPercent": 0, "load1": 0},
    "assignments": [],
    "actions": [],
    "builds": [],
    "cordoned": false,
    "consecutiveFailures": 0,
    "lastHeartbeatTime": null
  }
})";

// Cordoned by hand after it was grounded for OOM kills: Ready, building
// nothing, still reporting the build it was told to stop.
inline const std::string kTarn = R"({
  "apiVersion": "buildswarm.io/v1alpha1", "kind": "Drone",
  "metadata": {"name": "drone-tarn"},
  "spec": {"labels": {"cores": "8", "memory": "16Gi"}, "roles": ["build"]},
  "status": {
    "conditions": [
      {"type": "Ready", "status": "True", "reason": "HeartbeatReceived",
       "message": "heartbeats arrive", "lastTransitionTime": "2026-02-05T09:00:00Z"},
      {"type": "Grounded", "status": "True", "reason": "RepeatedFailures",
       "message": "5 drone failures in a row (groundAfterFailures 5); last: dev-qt/qtwebengine-6.8.1: Killed signal terminated program cc1plus; no work until the cause is gone, the cooldown ends and a probation build succeeds, or swarmctl unground",
       "lastTransitionTime": "2026-02-05T10:12:00Z"}],
    "health": "HEALTHY",
    "healthReason": "",
    "deployVersion": "2026.02.05",
    "treeRevision": "9fc7a49ad6496faebea1c1d1848199fb6278bcec",
    "resources": {"cores": 8, "memoryBytes": 17179869184, "memoryUsedPercent": 22.0,
                  "diskUsedPercent": 40.0, "load1": 0.5},
    "assignments": [],
    "actions": [],
    "builds": [{"assignment": "9e2b44c0-a17", "package": "dev-qt/qtwebengine-6.8.1",
                "state": "Running"}],
    "cordoned": true,
    "consecutiveFailures": 5,
    "lastHeartbeatTime": "2026-02-05T10:30:03Z"
  }
})";

inline const std::string kDroneList =
    R"({"apiVersion": "buildswarm.io/v1alpha1", "kind": "DroneList",
  "items": [)" +
    kDesktop + "," + kIzar + "," + kMeridian + "]}";

inline const std::string kSwarm = R"({
  "apiVersion": "buildswarm.io/v1alpha1", "kind": "Swarm",
  "metadata": {"name": "home", "generation": 3, "resourceVersion": 7,
               "creationTimestamp": "2026-02-03T10:30:00Z", "annotations": {}},
  "spec": {
    "portage": {"treeRevision": "9fc7a49ad6496faebea1c1d1848199fb6278bcec"},
    "deploy": {"version": "2026.02.05"},
    "queue": {"discoverOn": "desktop", "targets": ["@world"],
              "emergeArgs": "--update --deep --newuse --with-bdeps=y", "packages": [],
              "requirements": [{"match": "dev-qt/qtwebengine", "memory": "32Gi"}]},
    "drones": [{"name": "drone-izar", "labels": {"cores": "16", "memory": "32Gi"}},
               {"name": "drone-meridian", "labels": {"cores": "24"}},
               {"name": "desktop", "roles": ["discover"]}],
    "policy": {"heartbeatInterval": "5s", "heartbeatGrace": "20s", "groundAfterFailures": 5,
               "groundingCooldown": "5m", "systemicFailureFraction": 0.5, "scheduling": "critical-path",
               "requireCapacityLabels": false,
               "health": {"probeInterval": "15s", "memoryDegradedPercent": 85,
                          "diskDegradedPercent": 90}}
  },
  "status": {"observedGeneration": 2, "observedFreshRequest": "",
             "conditions": [{"type": "SystemicFault", "status": "False", "reason": "NoFault",
                             "message": "", "lastTransitionTime": "2026-02-03T10:30:00Z"}],
             "queue": {"treeRevision": "", "deployVersion": "", "queueSpec": "", "total": 0,
                       "needed": 0, "building": 0, "complete": 0, "failed": 0, "blocked": 0},
             "release": {"promoted": "", "latest": ""}}
})";

inline const std::string kIzarEvents = R"({"kind": "EventList", "items": [
  {"id": 3, "involvedObject": {"kind": "Drone", "name": "drone-izar"}, "type": "Normal",
   "reason": "DroneReady", "message": "drone-izar sent its first heartbeat", "count": 1,
   "firstTimestamp": "2026-02-05T09:00:00Z", "lastTimestamp": "2026-02-05T09:00:00Z"},
  {"id": 9, "involvedObject": {"kind": "Drone", "name": "drone-izar"}, "type": "Warning",
   "reason": "DroneUnreachable", "message": "no heartbeat for 20s", "count": 3,
   "firstTimestamp": "2026-02-05T08:00:00Z", "lastTimestamp": "2026-02-05T10:20:05Z"}]})";

}  // namespace swarm::ctl::testing

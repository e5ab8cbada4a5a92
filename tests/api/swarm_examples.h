#pragma once

// Swarm documents and comparisons shared by the api tests.

#include <gtest/gtest.h>

#include <string>

#include "api/types.h"

namespace swarm::api::testing {

// The example of DESIGN.md, with comments and every optional field.
inline constexpr char kFullSwarmYaml[] = R"(apiVersion: buildswarm.io/v1alpha1
kind: Swarm
metadata:
  name: home
  annotations: {owner: ops}
spec:
  portage:
    treeRevision: 9fc7a49ad6496faebea1c1d1848199fb6278bcec   # gentoo repo commit
  deploy:
    version: "2026.02.05"
  queue:
    discoverOn: desktop
    targets: ["@world"]
    emergeArgs: "--update --deep --newuse --with-bdeps=y"
    packages: [dev-lang/rust]
    requirements:
      - match: dev-qt/qtwebengine
        memory: 32Gi
      - match: www-client/*
        cores: 8
  drones:
    - name: drone-izar
      labels: {cores: "16", memory: 32Gi, site: milky-way}
    - name: drone-meridian
      labels: {cores: "24", memory: 64Gi, site: andromeda}
    - name: desktop
      roles: [discover]
  policy:
    heartbeatInterval: 5s
    heartbeatGrace: 20s
    groundAfterFailures: 5
    groundingCooldown: 5m
    systemicFailureFraction: 0.5
    requireCapacityLabels: true
    health: {probeInterval: 15s, memoryDegradedPercent: 85, diskDegradedPercent: 90}
)";

// The smallest document that decodes: lines 1-7; tests append from line 8.
inline constexpr char kHead[] = R"(apiVersion: buildswarm.io/v1alpha1
kind: Swarm
metadata:
  name: home
spec:
  portage: {treeRevision: abc123}
  deploy: {version: "2026.02.05"}
)";

inline void ExpectSameSpec(const SwarmSpec& a, const SwarmSpec& b) {
  EXPECT_EQ(a.portage.tree_revision, b.portage.tree_revision);
  EXPECT_EQ(a.deploy.version, b.deploy.version);
  EXPECT_EQ(a.queue.discover_on, b.queue.discover_on);
  EXPECT_EQ(a.queue.targets, b.queue.targets);
  EXPECT_EQ(a.queue.emerge_args, b.queue.emerge_args);
  EXPECT_EQ(a.queue.packages, b.queue.packages);
  ASSERT_EQ(a.queue.requirements.size(), b.queue.requirements.size());
  for (size_t i = 0; i < a.queue.requirements.size(); ++i) {
    SCOPED_TRACE("requirement " + std::to_string(i));
    EXPECT_EQ(a.queue.requirements[i].match, b.queue.requirements[i].match);
    EXPECT_EQ(a.queue.requirements[i].memory, b.queue.requirements[i].memory);
    EXPECT_EQ(a.queue.requirements[i].memory_bytes, b.queue.requirements[i].memory_bytes);
    EXPECT_EQ(a.queue.requirements[i].cores, b.queue.requirements[i].cores);
  }
  ASSERT_EQ(a.drones.size(), b.drones.size());
  for (size_t i = 0; i < a.drones.size(); ++i) {
    SCOPED_TRACE("drone " + std::to_string(i));
    EXPECT_EQ(a.drones[i].name, b.drones[i].name);
    EXPECT_EQ(a.drones[i].labels, b.drones[i].labels);
    EXPECT_EQ(a.drones[i].roles, b.drones[i].roles);
  }
  const Policy& p = a.policy;
  const Policy& q = b.policy;
  EXPECT_EQ(p.heartbeat_interval, q.heartbeat_interval);
  EXPECT_EQ(p.heartbeat_grace, q.heartbeat_grace);
  EXPECT_EQ(p.ground_after_failures, q.ground_after_failures);
  EXPECT_EQ(p.grounding_cooldown, q.grounding_cooldown);
  EXPECT_EQ(p.systemic_failure_fraction, q.systemic_failure_fraction);
  EXPECT_EQ(p.scheduling, q.scheduling);
  EXPECT_EQ(p.require_capacity_labels, q.require_capacity_labels);
  EXPECT_EQ(p.health.probe_interval, q.health.probe_interval);
  EXPECT_EQ(p.health.memory_degraded_percent, q.health.memory_degraded_percent);
  EXPECT_EQ(p.health.disk_degraded_percent, q.health.disk_degraded_percent);
}

}  // namespace swarm::api::testing

#pragma once

// Event reasons are named constants (Kubernetes' habit): operators grep and
// alert on them, so they are part of the public contract (docs/api.md).

namespace swarm::api::events {

inline constexpr char kNormal[] = "Normal";
inline constexpr char kWarning[] = "Warning";

inline constexpr char kControllerStarted[] = "ControllerStarted";
inline constexpr char kSwarmCreated[] = "SwarmCreated";
inline constexpr char kSwarmConfigured[] = "SwarmConfigured";
inline constexpr char kDroneReady[] = "DroneReady";
inline constexpr char kDroneUnreachable[] = "DroneUnreachable";
inline constexpr char kDroneRemoved[] = "DroneRemoved";
inline constexpr char kNotInRoster[] = "NotInRoster";

inline constexpr char kDeploySucceeded[] = "DeploySucceeded";
inline constexpr char kDeployFailed[] = "DeployFailed";
inline constexpr char kDeployIssued[] = "DeployIssued";
inline constexpr char kSyncSucceeded[] = "SyncSucceeded";
inline constexpr char kSyncFailed[] = "SyncFailed";
inline constexpr char kSyncIssued[] = "SyncIssued";
inline constexpr char kDiscoveryIssued[] = "DiscoveryIssued";
inline constexpr char kQueueDiscovered[] = "QueueDiscovered";
inline constexpr char kDiscoveryFailed[] = "DiscoveryFailed";
inline constexpr char kDiscoveryDiscarded[] = "DiscoveryDiscarded";
inline constexpr char kQueueStale[] = "QueueStale";
inline constexpr char kFreshRequested[] = "FreshRequested";
inline constexpr char kFreshStarted[] = "FreshStarted";

}  // namespace swarm::api::events

namespace swarm::api::events {

// Builds (objects of kind Package unless said otherwise).
inline constexpr char kBuildAssigned[] = "BuildAssigned";
inline constexpr char kBuildSucceeded[] = "BuildSucceeded";
inline constexpr char kBuildFailed[] = "BuildFailed";
inline constexpr char kBuildReturned[] = "BuildReturned";
inline constexpr char kBuildLost[] = "BuildLost";            // the agent stopped listing it
inline constexpr char kBuildReclaimed[] = "BuildReclaimed";  // taken back (unreachable, drained)
inline constexpr char kBuildWithdrawn[] = "BuildWithdrawn";  // its queue went stale (new tree or deploy)
inline constexpr char kPackageBlocked[] = "PackageBlocked";
inline constexpr char kPackageUnblocked[] = "PackageUnblocked";
inline constexpr char kBinpkgRejected[] = "BinpkgRejected";  // an upload or success refused
inline constexpr char kBinpkgCorrupt[] = "BinpkgCorrupt";    // a published file went bad
// Drones.
inline constexpr char kDroneGrounded[] = "DroneGrounded";
inline constexpr char kDroneUngrounded[] = "DroneUngrounded";
inline constexpr char kDroneOnProbation[] = "DroneOnProbation";
inline constexpr char kDroneCordoned[] = "DroneCordoned";
inline constexpr char kDroneUncordoned[] = "DroneUncordoned";
inline constexpr char kDroneDrained[] = "DroneDrained";
// Its report exceeds its roster labels (counted as labelled), or labels
// are required and it has none (no work): once per change, not per beat.
inline constexpr char kCapacityOverLabels[] = "CapacityOverLabels";
inline constexpr char kCapacityLabelsMissing[] = "CapacityLabelsMissing";
// The Swarm.
inline constexpr char kSystemicFault[] = "SystemicFault";
inline constexpr char kSystemicFaultCleared[] = "SystemicFaultCleared";
// Releases (objects of kind Release, but ReleaseRefused, of the Swarm).
inline constexpr char kReleaseCut[] = "ReleaseCut";
inline constexpr char kReleasePromoted[] = "ReleasePromoted";
inline constexpr char kReleaseRolledBack[] = "ReleaseRolledBack";  // of the release promoted again
inline constexpr char kReleasePruned[] = "ReleasePruned";
inline constexpr char kReleaseRefused[] = "ReleaseRefused";  // a file failed verification

}  // namespace swarm::api::events

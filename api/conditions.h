#pragma once

// Condition types, and the reasons more than one place writes or reads, as
// named constants: operators and swarmctl match on them, so they are part of
// the public contract (docs/api.md, "Conditions"). Tests spell the values out,
// so renaming one breaks a test.

namespace swarm::api::condition {

// Of a Drone.
inline constexpr char kReady[] = "Ready";
inline constexpr char kDeployed[] = "Deployed";
inline constexpr char kTreeSynced[] = "TreeSynced";
inline constexpr char kGrounded[] = "Grounded";
// Whether what the drone reports of its cores and memory stays within its
// roster labels (controller/reconcilers/capacity.h).
inline constexpr char kCapacityWithinLabels[] = "CapacityWithinLabels";

// Of the Swarm.
inline constexpr char kDronesReady[] = "DronesReady";
inline constexpr char kQueueCurrent[] = "QueueCurrent";
inline constexpr char kSystemicFault[] = "SystemicFault";
inline constexpr char kConverged[] = "Converged";
// Every package of the current queue is Complete (`swarmctl wait
// --for=condition=QueueComplete`).
inline constexpr char kQueueComplete[] = "QueueComplete";
// /binhost/current serves a release of the current queue, complete and
// verified (docs/operations.md, "Releases").
inline constexpr char kReleased[] = "Released";

}  // namespace swarm::api::condition

namespace swarm::api::reason {

// Ready, of a Drone.
inline constexpr char kNeverJoined[] = "NeverJoined";
inline constexpr char kHeartbeatReceived[] = "HeartbeatReceived";
inline constexpr char kHeartbeatMissed[] = "HeartbeatMissed";

// DronesReady, of the Swarm.
inline constexpr char kAllDronesReady[] = "AllDronesReady";
inline constexpr char kDronesNotReady[] = "DronesNotReady";

// Deployed and TreeSynced: an action is due, but the drone still holds
// builds (neither a deploy nor a sync changes a drone under a running build).
inline constexpr char kWaitingForBuilds[] = "WaitingForBuilds";
// TreeSynced: the member syncs again even at the wanted revision (a fresh
// start, a systemic fault's remediation).
inline constexpr char kResyncRequested[] = "ResyncRequested";

// Grounded (FreshStart, below, also clears it).
inline constexpr char kRepeatedFailures[] = "RepeatedFailures";  // True
inline constexpr char kProbation[] = "Probation";                // False: one build decides
inline constexpr char kProbationPassed[] = "ProbationPassed";
inline constexpr char kCauseGone[] = "CauseGone";
inline constexpr char kUngroundedByHand[] = "UngroundedByHand";
inline constexpr char kSharedFault[] = "SharedFault";

// CapacityWithinLabels, of a Drone.
inline constexpr char kWithinLabels[] = "WithinLabels";          // True
inline constexpr char kReportOverLabels[] = "ReportOverLabels";  // False: counted as labelled
inline constexpr char kLabelsMissing[] = "LabelsMissing";        // False: required, so no work
inline constexpr char kUnlabeled[] = "Unlabeled";                // Unknown: counted as reported

// SystemicFault: why it is True (the fault's own reasons, FailingAlike and
// SystemicFailure, are set where it is raised), or why it was cleared.
inline constexpr char kPersistent[] = "Persistent";    // came back within the hour after a remediation
inline constexpr char kRemediated[] = "Remediated";    // members re-synced, queue discovered again
inline constexpr char kSpecChanged[] = "SpecChanged";  // a new tree or deploy was applied
inline constexpr char kFreshStart[] = "FreshStart";    // swarmctl fresh

// QueueComplete, of the Swarm.
inline constexpr char kAllBuilt[] = "AllBuilt";                // True: every package Complete
inline constexpr char kBuilding[] = "Building";                // False: packages Needed or Building
inline constexpr char kPackagesBlocked[] = "PackagesBlocked";  // False: the rest wait for a person
inline constexpr char kNoQueue[] = "NoQueue";                  // False: nothing discovered yet
inline constexpr char kQueueNotCurrent[] =
    "QueueNotCurrent";  // False: another tree or deploy is wanted

// Released, of the Swarm.
inline constexpr char kPromoted[] = "Promoted";                    // True: current is the queue's release
inline constexpr char kAwaitingPromotion[] = "AwaitingPromotion";  // False: cut, spec.binhost.promotion Manual
inline constexpr char kOlderPromoted[] = "OlderPromoted";          // False: rolled back or promoted by hand
inline constexpr char kVerificationFailed[] = "VerificationFailed";  // False: not cut; packages requeued
inline constexpr char kQueueIncomplete[] = "QueueIncomplete";      // False: no release of this queue yet

}  // namespace swarm::api::reason

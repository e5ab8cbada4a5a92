#pragma once

// A drone's capacity as the controller counts it. An agent token is all it
// takes to report 512 cores, and the scheduler hands a drone as much work as
// its capacity allows: so where the roster gives a `cores` or `memory`
// label, a report counts only up to it (the lower of the two wins: a drone
// that lost a DIMM says so honestly), and spec.policy.requireCapacityLabels
// gives no work to a building member without both labels. The condition
// CapacityWithinLabels tells an operator which drone reports more than its
// labels: its agent lies, or its labels are wrong. Pure functions.

#include <cstdint>
#include <string>

#include "api/types.h"

namespace swarm::controller::reconcilers {

// The capacity labels of a roster member; 0 where absent (or malformed,
// which validation refuses before a spec is stored).
struct CapacityLabels {
  int cores = 0;
  int64_t memory_bytes = 0;
};
CapacityLabels LabelsOf(const api::DroneSpec& member);

// What counts of one quantity: the label where both are known and the
// report is higher; the label alone before the drone reported (0); the
// report alone where there is no label (0).
int64_t Counted(int64_t label, int64_t reported);

// Why `member` gets no work for want of labels ("no memory label, and
// spec.policy.requireCapacityLabels is set"), or "" when it may get work:
// labels are not required, it does not build, or it has both.
std::string MissingCapacityLabels(const api::DroneSpec& member, bool require_labels);

struct CapacityDecision {
  api::Resources resources;  // the report, its cores and memory as counted
  api::Condition condition;  // CapacityWithinLabels
  // Set when the condition leaves WithinLabels/Unlabeled for ReportOverLabels
  // or LabelsMissing: the one event that says so, with what was reported
  // (the condition keeps no reported number, so a liar that changes its
  // claim every beat does not rewrite it every beat).
  std::string event_reason;
  std::string event_message;
};

// The capacity of roster member `member` after it reported `reported`;
// `before` is its CapacityWithinLabels condition until now (null: none).
CapacityDecision ReconcileCapacity(const api::DroneSpec& member, const api::Resources& reported,
                                   bool require_labels, const api::Condition* before);

}  // namespace swarm::controller::reconcilers

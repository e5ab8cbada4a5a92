#include "controller/reconcilers/capacity.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "api/events.h"
#include "api/quantity.h"
#include "base/strings.h"

namespace swarm::controller::reconcilers {
namespace {

std::string Cores(int64_t n) { return std::to_string(n) + (n == 1 ? " core" : " cores"); }

// "cores 4, memory 8Gi": the labels that are set.
std::string Described(const CapacityLabels& l) {
  std::vector<std::string> parts;
  if (l.cores > 0) parts.push_back("cores " + std::to_string(l.cores));
  if (l.memory_bytes > 0) parts.push_back("memory " + api::FormatMemory(l.memory_bytes));
  return Join(parts, ", ");
}

}  // namespace

CapacityLabels LabelsOf(const api::DroneSpec& member) {
  CapacityLabels out;
  if (auto it = member.labels.find(api::kLabelCores); it != member.labels.end()) {
    const std::string& v = it->second;
    int cores = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), cores);
    if (ec == std::errc() && end == v.data() + v.size() && cores > 0) out.cores = cores;
  }
  if (auto it = member.labels.find(api::kLabelMemory); it != member.labels.end()) {
    if (auto bytes = api::ParseMemory(it->second); bytes.ok()) out.memory_bytes = *bytes;
  }
  return out;
}

int64_t Counted(int64_t label, int64_t reported) {
  if (label <= 0) return reported;
  if (reported <= 0) return label;
  return std::min(label, reported);
}

std::string MissingCapacityLabels(const api::DroneSpec& member, bool require_labels) {
  if (!require_labels || !api::HasRole(member, api::kRoleBuild)) return "";
  const CapacityLabels l = LabelsOf(member);
  std::vector<std::string> missing;
  if (l.cores <= 0) missing.push_back("cores");
  if (l.memory_bytes <= 0) missing.push_back("memory");
  if (missing.empty()) return "";
  return "no " + Join(missing, " or ") + " label, and spec.policy.requireCapacityLabels is set";
}

CapacityDecision ReconcileCapacity(const api::DroneSpec& member, const api::Resources& reported,
                                   bool require_labels, const api::Condition* before) {
  CapacityDecision out;
  const CapacityLabels l = LabelsOf(member);
  out.resources = reported;
  out.resources.cores = static_cast<int>(Counted(l.cores, reported.cores));
  out.resources.memory_bytes = Counted(l.memory_bytes, reported.memory_bytes);
  api::Condition& c = out.condition;
  c.type = api::condition::kCapacityWithinLabels;

  std::vector<std::string> over;
  std::vector<std::string> claims;
  std::vector<std::string> counted;
  if (l.cores > 0 && reported.cores > l.cores) {
    over.push_back("cores");
    claims.push_back(Cores(reported.cores));
    counted.push_back(Cores(l.cores));
  }
  if (l.memory_bytes > 0 && reported.memory_bytes > l.memory_bytes) {
    over.push_back("memory");
    claims.push_back(api::FormatMemory(reported.memory_bytes) + " of memory");
    counted.push_back(api::FormatMemory(l.memory_bytes) + " of memory");
  }
  if (const std::string missing = MissingCapacityLabels(member, require_labels); !missing.empty()) {
    c.status = api::kFalse;
    c.reason = api::reason::kLabelsMissing;
    c.message = missing + ": it gets no work until its roster entry has both";
  } else if (!over.empty()) {
    c.status = api::kFalse;
    c.reason = api::reason::kReportOverLabels;
    c.message = "reports more " + Join(over, " and ") + " than its labels (" + Described(l) +
                "): counted as labelled; its agent is wrong or lying, or its labels are";
  } else if (l.cores > 0 || l.memory_bytes > 0) {
    c.status = api::kTrue;
    c.reason = api::reason::kWithinLabels;
    c.message = "reports no more than its labels (" + Described(l) + ")";
  } else {
    c.status = api::kUnknown;
    c.reason = api::reason::kUnlabeled;
    c.message = "no cores or memory label: its report is counted as it is";
  }

  const bool news = before == nullptr || before->reason != c.reason;
  if (news && c.reason == api::reason::kReportOverLabels) {
    out.event_reason = api::events::kCapacityOverLabels;
    out.event_message = member.name + " reports " + Join(claims, " and ") + ", over its labels (" +
                        Described(l) + "): it is counted as " + Join(counted, " and ");
  } else if (news && c.reason == api::reason::kLabelsMissing) {
    out.event_reason = api::events::kCapacityLabelsMissing;
    out.event_message = member.name + ": " + c.message;
  }
  return out;
}

}  // namespace swarm::controller::reconcilers

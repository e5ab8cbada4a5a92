#include "swarmctl/drone_fields.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "api/quantity.h"
#include "api/types.h"
#include "swarmctl/age.h"

namespace swarm::ctl {

bool HasJoined(const Json& drone) {
  return StringAt(drone, {"status", "lastHeartbeatTime"}).has_value();
}

std::string ReadyStatus(const Json& drone) {
  const Json* c = FindConditionAt(drone, {"status", "conditions"}, api::condition::kReady);
  std::string s = c ? StringOr(*c, {"status"}, api::kUnknown) : api::kUnknown;
  return s == api::kTrue || s == api::kFalse ? s : api::kUnknown;
}

std::string ReadyReason(const Json& drone) {
  const Json* c = FindConditionAt(drone, {"status", "conditions"}, api::condition::kReady);
  return c ? StringOr(*c, {"reason"}, kNone) : kNone;
}

bool IsCordoned(const Json& drone) {
  const Json* c = Find(drone, {"status", "cordoned"});
  return c != nullptr && c->is_boolean() && c->get<bool>();
}

bool IsGrounded(const Json& drone) {
  const Json* c = FindConditionAt(drone, {"status", "conditions"}, api::condition::kGrounded);
  return c != nullptr && StringAt(*c, {"status"}) == api::kTrue;
}

std::string StatusColumn(const Json& drone) {
  const std::string ready = ReadyStatus(drone);
  std::string s = ready == api::kTrue ? "Ready" : ready == api::kFalse ? "NotReady" : api::kUnknown;
  if (IsCordoned(drone)) s += ",SchedulingDisabled";
  if (IsGrounded(drone)) s += ",Grounded";
  return s;
}

std::string BuildingColumn(const Json& drone, bool whole) {
  const auto packages = StringsAt(drone, {"status", "assignments"});
  if (whole || packages.size() <= 1) return JoinOr(packages, ",", kNone);
  return packages.front() + " (+" + std::to_string(packages.size() - 1) + " more)";
}

std::string ConditionColumn(const Json& drone, const std::string& type) {
  const Json* c = FindConditionAt(drone, {"status", "conditions"}, type);
  if (c == nullptr) return kNotReported;
  const std::string status = StringOr(*c, {"status"}, api::kUnknown);
  const std::string reason = StringOr(*c, {"reason"}, "");
  if (status == api::kTrue || reason.empty()) return status;
  return status + " (" + reason + ")";
}

std::string ActionsColumn(const Json& drone) {
  std::vector<std::string> parts;
  for (const Json* a : ObjectsAt(drone, {"status", "actions"})) {
    std::string part = StringOr(*a, {"type"}, "?");
    const std::string state = StringOr(*a, {"state"}, "");
    if (!state.empty()) part += " " + state;
    parts.push_back(part);
  }
  return JoinOr(parts, ", ", kNone);
}

std::string ShortRevision(const std::string& revision) {
  return revision.empty() ? kNone : revision.substr(0, 12);
}

std::string ApproxMemory(int64_t bytes) {
  if (bytes <= 0) return kNotReported;
  constexpr int kUnits = 6;  // Ki .. Ei
  int64_t unit = 1;
  for (int i = 0; i < kUnits && bytes / (unit * 1024) >= 10; ++i) unit *= 1024;
  int64_t n = std::llround(static_cast<double>(bytes) / static_cast<double>(unit));
  if (n > std::numeric_limits<int64_t>::max() / unit) n = bytes / unit;
  return api::FormatMemory(n * unit);
}

std::string FormatPercent(double percent) { return std::to_string(std::llround(percent)) + "%"; }

std::string FormatLoad(double load) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", load);
  return buf;
}

std::string CoresColumn(const Json& drone) {
  auto cores = IntAt(drone, {"status", "resources", "cores"});
  if (!HasJoined(drone) || !cores || *cores <= 0) return kNotReported;
  return std::to_string(*cores);
}

std::string MemoryColumn(const Json& drone) {
  auto bytes = IntAt(drone, {"status", "resources", "memoryBytes"});
  if (!HasJoined(drone) || !bytes || *bytes <= 0) return kNotReported;
  std::string s = ApproxMemory(*bytes);
  if (auto used = NumberAt(drone, {"status", "resources", "memoryUsedPercent"})) {
    s += " (" + FormatPercent(*used) + ")";
  }
  return s;
}

std::string DiskColumn(const Json& drone) {
  auto used = NumberAt(drone, {"status", "resources", "diskUsedPercent"});
  if (!HasJoined(drone) || !used) return kNotReported;
  return FormatPercent(*used);
}

std::string LoadColumn(const Json& drone) {
  auto load = NumberAt(drone, {"status", "resources", "load1"});
  if (!HasJoined(drone) || !load) return kNotReported;
  return FormatLoad(*load);
}

std::string LastSeenColumn(const Json& drone, WallTime now) {
  auto ts = StringAt(drone, {"status", "lastHeartbeatTime"});
  if (!ts) return "<never>";
  return AgeOf(ts, now).value_or("<unknown>");
}

}  // namespace swarm::ctl

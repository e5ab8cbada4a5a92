#include "api/replies.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "api/quantity.h"

namespace swarm::api {
namespace {

using nlohmann::json;

constexpr char kHeartbeatInterval[] = "heartbeatInterval";
constexpr char kHealth[] = "health";
constexpr char kProbeInterval[] = "probeInterval";
constexpr char kMemoryDegradedPercent[] = "memoryDegradedPercent";
constexpr char kDiskDegradedPercent[] = "diskDegradedPercent";
constexpr char kActions[] = "actions";
constexpr char kAssignments[] = "assignments";
constexpr char kAccepted[] = "accepted";

Status ReadDuration(const json& obj, const char* key, const std::string& path, Duration* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) {
    return InvalidArgument(path + ": expected a duration string such as \"5s\", got " +
                           std::string(it->type_name()));
  }
  auto d = ParseDuration(it->get<std::string>());
  if (!d.ok()) return InvalidArgument(path + ": " + d.status().message());
  *out = *d;
  return Status::Ok();
}

Status ReadPercent(const json& obj, const char* key, const std::string& path, int* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_number_integer()) {
    return InvalidArgument(path + ": expected an integer percentage, got " +
                           std::string(it->type_name()));
  }
  int64_t v = it->get<int64_t>();
  if (v < 1 || v > 100) {
    return InvalidArgument(path + ": expected a percentage from 1 to 100, got " +
                           std::to_string(v));
  }
  *out = static_cast<int>(v);
  return Status::Ok();
}

// The array at `key` (null when absent), or InvalidArgument.
Result<const json*> ReadArray(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return static_cast<const json*>(nullptr);
  if (!it->is_array()) {
    return InvalidArgument(std::string(key) + ": expected an array, got " +
                           std::string(it->type_name()));
  }
  return &*it;
}

// The codec lists one error per line; a skipped item wants them on one.
std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

}  // namespace

bool IsSafeId(const std::string& id);

namespace {

// The items of `items` that decode, have a safe id and do not repeat one;
// every other is described in `skipped` as "<key>[i]: why".
template <typename T>
std::vector<T> ItemsFromJson(const json& items, const char* key,
                             Result<T> (*decode)(const json&), std::vector<std::string>* skipped) {
  std::vector<T> out;
  if (!items.is_array()) return out;
  std::set<std::string> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
    Result<T> item = decode(items[i]);
    if (!item.ok()) {
      skipped->push_back(where + ": " + OneLine(item.status().message()));
    } else if (!IsSafeId(item->id)) {
      skipped->push_back(where + ": id \"" + item->id +
                         "\" is not 1 to 128 letters, digits, '.', '_' or '-'");
    } else if (!seen.insert(item->id).second) {
      skipped->push_back(where + ": id \"" + item->id + "\" is listed twice");
    } else {
      out.push_back(std::move(item).value());
    }
  }
  return out;
}

}  // namespace

bool IsSafeId(const std::string& id) {
  if (id.empty() || id.size() > 128 || id[0] == '.') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

std::vector<Action> ActionsFromJson(const json& actions, std::vector<std::string>* skipped) {
  return ItemsFromJson<Action>(actions, kActions, ActionFromJson, skipped);
}

std::vector<BuildAssignment> AssignmentsFromJson(const json& assignments,
                                                 std::vector<std::string>* skipped) {
  return ItemsFromJson<BuildAssignment>(assignments, kAssignments, BuildAssignmentFromJson,
                                        skipped);
}

json HeartbeatReplyToJson(const HeartbeatReply& r) {
  json actions = json::array();
  for (const auto& a : r.actions) actions.push_back(ActionToJson(a));
  json assignments = json::array();
  for (const auto& a : r.assignments) assignments.push_back(BuildAssignmentToJson(a));
  return {{kHeartbeatInterval, FormatDuration(r.heartbeat_interval)},
          {kHealth,
           {{kProbeInterval, FormatDuration(r.health.probe_interval)},
            {kMemoryDegradedPercent, r.health.memory_degraded_percent},
            {kDiskDegradedPercent, r.health.disk_degraded_percent}}},
          {kActions, std::move(actions)},
          {kAssignments, std::move(assignments)}};
}

Result<HeartbeatReply> HeartbeatReplyFromJson(const json& j, std::vector<std::string>* skipped) {
  if (!j.is_object()) {
    return InvalidArgument("heartbeat reply: expected a JSON object, got " +
                           std::string(j.type_name()));
  }
  HeartbeatReply r;
  if (Status s = ReadDuration(j, kHeartbeatInterval, kHeartbeatInterval, &r.heartbeat_interval);
      !s.ok()) {
    return s;
  }
  if (auto it = j.find(kHealth); it != j.end() && !it->is_null()) {
    if (!it->is_object()) {
      return InvalidArgument(std::string(kHealth) + ": expected an object, got " +
                             std::string(it->type_name()));
    }
    const std::string at = std::string(kHealth) + ".";
    for (Status s :
         {ReadDuration(*it, kProbeInterval, at + kProbeInterval, &r.health.probe_interval),
          ReadPercent(*it, kMemoryDegradedPercent, at + kMemoryDegradedPercent,
                      &r.health.memory_degraded_percent),
          ReadPercent(*it, kDiskDegradedPercent, at + kDiskDegradedPercent,
                      &r.health.disk_degraded_percent)}) {
      if (!s.ok()) return s;
    }
  }
  auto actions = ReadArray(j, kActions);
  if (!actions.ok()) return actions.status();
  auto assignments = ReadArray(j, kAssignments);
  if (!assignments.ok()) return assignments.status();
  if (*actions) r.actions = ActionsFromJson(**actions, skipped);
  if (*assignments) r.assignments = AssignmentsFromJson(**assignments, skipped);
  return r;
}

json BuildResultReplyToJson(const BuildResultReply& r) {
  json out = {{kAccepted, true}};
  if (r.assignments) {
    json assignments = json::array();
    for (const auto& a : *r.assignments) assignments.push_back(BuildAssignmentToJson(a));
    out[kAssignments] = std::move(assignments);
  }
  return out;
}

Result<BuildResultReply> BuildResultReplyFromJson(const json& j,
                                                  std::vector<std::string>* skipped) {
  if (!j.is_object()) {
    return InvalidArgument("build result reply: expected a JSON object, got " +
                           std::string(j.type_name()));
  }
  auto assignments = ReadArray(j, kAssignments);
  if (!assignments.ok()) return assignments.status();
  BuildResultReply r;
  if (*assignments) r.assignments = AssignmentsFromJson(**assignments, skipped);
  return r;
}

}  // namespace swarm::api

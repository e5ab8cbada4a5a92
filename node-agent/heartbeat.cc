#include "node-agent/heartbeat.h"

#include <algorithm>
#include <random>
#include <set>

#include "api/quantity.h"

namespace swarm::agent {
namespace {

using nlohmann::json;

Status ReadDuration(const json& obj, const char* key, const std::string& path, Duration* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) {
    return InvalidArgument(path + ": expected a duration string such as \"5s\", got " +
                           std::string(it->type_name()));
  }
  auto d = api::ParseDuration(it->get<std::string>());
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

Status ReadArray(const json& obj, const char* key, json* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) {
    return InvalidArgument(std::string(key) + ": expected an array, got " +
                           std::string(it->type_name()));
  }
  *out = *it;
  return Status::Ok();
}

}  // namespace

std::string HeartbeatPath(const std::string& drone_name) {
  return "/api/v1/drones/" + drone_name + "/heartbeat";
}

api::DroneReport BuildDroneReport(const ProbeResult& probe, const HealthVerdict& health,
                                  const std::string& agent_version) {
  api::DroneReport r;
  r.deploy_version = probe.deploy_version;
  r.tree_revision = probe.tree_revision;
  r.health = HealthStateName(health.state);
  r.health_reason = health.reason;
  r.resources = probe.resources;
  r.agent_version = agent_version;
  return r;
}

Result<HeartbeatReply> ParseHeartbeatReply(const std::string& body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("heartbeat reply is not valid JSON");
  if (!j.is_object()) {
    return InvalidArgument("heartbeat reply: expected a JSON object, got " +
                           std::string(j.type_name()));
  }
  HeartbeatReply r;
  if (Status s = ReadDuration(j, "heartbeatInterval", "heartbeatInterval", &r.heartbeat_interval);
      !s.ok()) {
    return s;
  }
  r.heartbeat_interval = std::max(r.heartbeat_interval, kMinHeartbeatInterval);

  if (auto it = j.find("health"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) {
      return InvalidArgument("health: expected an object, got " + std::string(it->type_name()));
    }
    for (Status s :
         {ReadDuration(*it, "probeInterval", "health.probeInterval", &r.health.probe_interval),
          ReadPercent(*it, "memoryDegradedPercent", "health.memoryDegradedPercent",
                      &r.health.memory_degraded_percent),
          ReadPercent(*it, "diskDegradedPercent", "health.diskDegradedPercent",
                      &r.health.disk_degraded_percent)}) {
      if (!s.ok()) return s;
    }
  }
  if (Status s = ReadArray(j, "actions", &r.actions); !s.ok()) return s;
  if (Status s = ReadArray(j, "assignments", &r.assignments); !s.ok()) return s;
  return r;
}

bool IsSafeActionId(const std::string& id) {
  if (id.empty() || id.size() > 128 || id[0] == '.') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::vector<api::Action> ParseActions(const json& actions, std::vector<std::string>* problems) {
  std::vector<api::Action> out;
  if (!actions.is_array()) return out;
  for (size_t i = 0; i < actions.size(); ++i) {
    const std::string where = "actions[" + std::to_string(i) + "]";
    auto a = api::ActionFromJson(actions[i]);
    if (!a.ok()) {
      // The codec lists one error per line; a log line wants them on one.
      std::string message = a.status().message();
      std::replace(message.begin(), message.end(), '\n', ' ');
      problems->push_back(where + ": " + message);
    } else if (!IsSafeActionId(a->id)) {
      problems->push_back(where + ": id \"" + a->id +
                          "\" is not 1 to 128 letters, digits, '.', '_' or '-'");
    } else {
      out.push_back(std::move(a).value());
    }
  }
  return out;
}

std::vector<api::BuildAssignment> ParseAssignments(const json& assignments,
                                                   std::vector<std::string>* problems) {
  std::vector<api::BuildAssignment> out;
  if (!assignments.is_array()) return out;
  std::set<std::string> seen;
  for (size_t i = 0; i < assignments.size(); ++i) {
    const std::string where = "assignments[" + std::to_string(i) + "]";
    auto a = api::BuildAssignmentFromJson(assignments[i]);
    if (!a.ok()) {
      std::string message = a.status().message();
      std::replace(message.begin(), message.end(), '\n', ' ');
      problems->push_back(where + ": " + message);
    } else if (!IsSafeActionId(a->id)) {
      problems->push_back(where + ": id \"" + a->id +
                          "\" is not 1 to 128 letters, digits, '.', '_' or '-'");
    } else if (!seen.insert(a->id).second) {
      problems->push_back(where + ": id \"" + a->id + "\" is listed twice");
    } else {
      out.push_back(std::move(a).value());
    }
  }
  return out;
}

Duration BackoffDelay(int attempt, double jitter) {
  // Past 2^5 s the cap holds; stopping the doubling there also avoids overflow.
  int shift = std::clamp(attempt, 0, 5);
  Duration base = std::min<Duration>(Backoff::kInitial * (1 << shift), Backoff::kMax);
  jitter = std::clamp(jitter, 0.0, 1.0);
  auto cut = static_cast<Duration::rep>(static_cast<double>(base.count()) *
                                        Backoff::kJitterFraction * jitter);
  return base - Duration(cut);
}

Backoff::Backoff(std::function<double()> uniform01) : uniform01_(std::move(uniform01)) {
  if (!uniform01_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    uniform01_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

Duration Backoff::Next() { return BackoffDelay(failures_++, uniform01_()); }

}  // namespace swarm::agent

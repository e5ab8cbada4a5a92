// JSON encoding of every resource, and the readers for JSON this program
// exchanges with itself (store rows, heartbeats). Swarm documents are read by
// the strict YAML decoder in codec.cc instead.

#include <limits>

#include "api/codec.h"
#include "api/json_fields.h"
#include "api/quantity.h"

namespace swarm::api {
namespace {

using nlohmann::json;

std::vector<Condition> ReadConditions(const json& j, const std::string& path,
                                      std::vector<std::string>& errors) {
  std::vector<Condition> out;
  if (j.is_null()) return out;
  if (!j.is_array()) {
    errors.push_back(path + ": expected an array, got " + std::string(j.type_name()));
    return out;
  }
  for (size_t i = 0; i < j.size(); ++i) {
    JsonFields f(j[i], path + "[" + std::to_string(i) + "]", errors);
    Condition c;
    f.String("type", c.type);
    f.String("status", c.status);
    f.String("reason", c.reason);
    f.String("message", c.message);
    f.Time("lastTransitionTime", c.last_transition_time);
    out.push_back(std::move(c));
  }
  return out;
}

json ActionProgressListToJson(const std::vector<ActionProgress>& actions) {
  json out = json::array();
  for (const auto& a : actions) out.push_back({{"id", a.id}, {"type", a.type}, {"state", a.state}});
  return out;
}

void ReadActionProgressList(const JsonFields& parent, std::vector<ActionProgress>& out,
                            std::vector<std::string>& errors) {
  const json* v = parent.Get("actions");
  if (v == nullptr) return;
  if (!v->is_array()) {
    errors.push_back(parent.PathOf("actions") + ": expected an array, got " + v->type_name());
    return;
  }
  if (v->size() > kMaxReportedActions) {
    return parent.TooMany(parent.PathOf("actions"), v->size(), kMaxReportedActions);
  }
  for (size_t i = 0; i < v->size(); ++i) {
    JsonFields f((*v)[i], parent.PathOf("actions") + "[" + std::to_string(i) + "]", errors);
    ActionProgress a;
    f.Token("id", a.id);
    f.Token("type", a.type);
    f.Token("state", a.state);
    out.push_back(std::move(a));
  }
}

json BuildProgressListToJson(const std::vector<BuildProgress>& builds) {
  json out = json::array();
  for (const auto& b : builds) {
    out.push_back({{"assignment", b.assignment}, {"package", b.package}, {"state", b.state}});
  }
  return out;
}

void ReadBuildProgressList(const JsonFields& parent, std::vector<BuildProgress>& out,
                           std::vector<std::string>& errors) {
  const json* v = parent.Get("builds");
  if (v == nullptr) return;
  if (!v->is_array()) {
    errors.push_back(parent.PathOf("builds") + ": expected an array, got " + v->type_name());
    return;
  }
  if (v->size() > kMaxReportedBuilds) {
    return parent.TooMany(parent.PathOf("builds"), v->size(), kMaxReportedBuilds);
  }
  for (size_t i = 0; i < v->size(); ++i) {
    JsonFields f((*v)[i], parent.PathOf("builds") + "[" + std::to_string(i) + "]", errors);
    BuildProgress b;
    f.Token("assignment", b.assignment);
    f.Token("package", b.package);
    f.Token("state", b.state);
    out.push_back(std::move(b));
  }
}

json ResourcesToJson(const Resources& r) {
  return {{"cores", r.cores},
          {"memoryBytes", r.memory_bytes},
          {"memoryUsedPercent", r.memory_used_percent},
          {"diskUsedPercent", r.disk_used_percent},
          {"load1", r.load1}};
}

void ReadResources(const JsonFields& parent, Resources& r, std::vector<std::string>& errors) {
  const json* j = parent.Get("resources");
  if (j == nullptr) return;
  JsonFields f(*j, parent.PathOf("resources"), errors);
  f.Int("cores", r.cores);
  f.Int64("memoryBytes", r.memory_bytes);
  f.Double("memoryUsedPercent", r.memory_used_percent);
  f.Double("diskUsedPercent", r.disk_used_percent);
  f.Double("load1", r.load1);
}

json StringMapToJson(const std::map<std::string, std::string>& m) {
  json j = json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

json StringsToJson(const std::vector<std::string>& v) {
  json j = json::array();
  for (const auto& s : v) j.push_back(s);
  return j;
}

}  // namespace

nlohmann::json SwarmSpecToJson(const SwarmSpec& spec) {
  json requirements = json::array();
  for (const Requirement& r : spec.queue.requirements) {
    json jr = {{"match", r.match}};
    if (!r.memory.empty()) jr["memory"] = r.memory;
    if (r.cores) jr["cores"] = *r.cores;
    requirements.push_back(std::move(jr));
  }
  json drones = json::array();
  for (const DroneSpec& d : spec.drones) {
    drones.push_back({{"name", d.name},
                      {"labels", StringMapToJson(d.labels)},
                      {"roles", StringsToJson(d.roles)}});
  }
  const Policy& p = spec.policy;
  return {
      {"portage", {{"treeRevision", spec.portage.tree_revision}}},
      {"deploy", {{"version", spec.deploy.version}}},
      {"queue",
       {{"discoverOn", spec.queue.discover_on},
        {"targets", StringsToJson(spec.queue.targets)},
        {"emergeArgs", spec.queue.emerge_args},
        {"packages", StringsToJson(spec.queue.packages)},
        {"requirements", std::move(requirements)}}},
      {"drones", std::move(drones)},
      {"policy",
       {{"heartbeatInterval", FormatDuration(p.heartbeat_interval)},
        {"heartbeatGrace", FormatDuration(p.heartbeat_grace)},
        {"groundAfterFailures", p.ground_after_failures},
        {"groundingCooldown", FormatDuration(p.grounding_cooldown)},
        {"systemicFailureFraction", p.systemic_failure_fraction},
        {"scheduling", p.scheduling},
        {"requireCapacityLabels", p.require_capacity_labels},
        {"health",
         {{"probeInterval", FormatDuration(p.health.probe_interval)},
          {"memoryDegradedPercent", p.health.memory_degraded_percent},
          {"diskDegradedPercent", p.health.disk_degraded_percent}}}}},
      {"binhost",
       {{"promotion", spec.binhost.promotion}, {"keepReleases", spec.binhost.keep_releases}}},
  };
}

nlohmann::json SwarmToJson(const Swarm& s) {
  json meta = {{"name", s.metadata.name},
               {"generation", s.metadata.generation},
               // A string, as in Kubernetes: clients compare it, never do arithmetic.
               {"resourceVersion", std::to_string(s.metadata.resource_version)}};
  if (s.metadata.creation_timestamp) {
    meta["creationTimestamp"] = FormatTime(*s.metadata.creation_timestamp);
  }
  if (!s.metadata.annotations.empty())
    meta["annotations"] = StringMapToJson(s.metadata.annotations);
  return {{"apiVersion", s.api_version},
          {"kind", s.kind},
          {"metadata", std::move(meta)},
          {"spec", SwarmSpecToJson(s.spec)},
          {"status", SwarmStatusToJson(s.status)}};
}

nlohmann::json ConditionsToJson(const std::vector<Condition>& conditions) {
  json out = json::array();
  for (const Condition& c : conditions) {
    out.push_back({{"type", c.type},
                   {"status", c.status},
                   {"reason", c.reason},
                   {"message", c.message},
                   {"lastTransitionTime", FormatTime(c.last_transition_time)}});
  }
  return out;
}

Result<std::vector<Condition>> ConditionsFromJson(const nlohmann::json& j) {
  std::vector<std::string> errors;
  std::vector<Condition> out = ReadConditions(j, "conditions", errors);
  if (!errors.empty()) return ErrorsToStatus("conditions", errors);
  return out;
}

nlohmann::json SwarmStatusToJson(const SwarmStatus& s) {
  const QueueSummary& q = s.queue;
  nlohmann::json out = {{"observedGeneration", s.observed_generation},
                        {"conditions", ConditionsToJson(s.conditions)},
                        {"queue",
                         {{"treeRevision", q.tree_revision},
                          {"deployVersion", q.deploy_version},
                          {"queueSpec", q.queue_spec},
                          {"total", q.total},
                          {"needed", q.needed},
                          {"building", q.building},
                          {"complete", q.complete},
                          {"failed", q.failed},
                          {"blocked", q.blocked}}},
                        {"release",
                         {{"promoted", s.release.promoted}, {"latest", s.release.latest}}},
                        {"observedFreshRequest", s.observed_fresh_request}};
  if (s.progress) {
    const SwarmProgress& p = *s.progress;
    nlohmann::json progress = {{"cores", p.cores},
                               {"busyCores", p.busy_cores},
                               {"idleShare", p.cores > 0 ? 1 - p.busy_cores / p.cores : 0.0},
                               {"asOf", FormatTime(p.as_of)}};
    if (p.eta_seconds) progress["etaSeconds"] = *p.eta_seconds;
    out["progress"] = std::move(progress);
  }
  return out;
}

Result<SwarmStatus> SwarmStatusFromJson(const nlohmann::json& j) {
  std::vector<std::string> errors;
  JsonFields f(j, "", errors);
  SwarmStatus s;
  f.Int64("observedGeneration", s.observed_generation);
  if (const json* c = f.Get("conditions")) s.conditions = ReadConditions(*c, "conditions", errors);
  f.String("observedFreshRequest", s.observed_fresh_request);
  JsonFields q(f.Child("queue"), "queue", errors);
  q.String("treeRevision", s.queue.tree_revision);
  q.String("deployVersion", s.queue.deploy_version);
  q.String("queueSpec", s.queue.queue_spec);
  q.Int("total", s.queue.total);
  q.Int("needed", s.queue.needed);
  q.Int("building", s.queue.building);
  q.Int("complete", s.queue.complete);
  q.Int("failed", s.queue.failed);
  q.Int("blocked", s.queue.blocked);
  if (f.Get("release") != nullptr) {
    JsonFields r(f.Child("release"), "release", errors);
    r.String("promoted", s.release.promoted);
    r.String("latest", s.release.latest);
  }
  if (!errors.empty()) return ErrorsToStatus("swarm status", errors);
  return s;
}

nlohmann::json DroneToJson(const Drone& d) {
  std::vector<std::string> roles = d.spec.roles;
  if (roles.empty()) roles = {kRoleBuild};
  return {{"apiVersion", kApiVersion},
          {"kind", kKindDrone},
          {"metadata", {{"name", d.name}}},
          {"spec", {{"labels", StringMapToJson(d.spec.labels)}, {"roles", StringsToJson(roles)}}},
          {"status", DroneStatusToJson(d.status)}};
}

nlohmann::json DroneStatusToJson(const DroneStatus& s) {
  json heartbeat = nullptr;
  if (s.last_heartbeat_time) heartbeat = FormatTime(*s.last_heartbeat_time);
  return {{"conditions", ConditionsToJson(s.conditions)},
          {"health", s.health},
          {"healthReason", s.health_reason},
          {"deployVersion", s.deploy_version},
          {"treeRevision", s.tree_revision},
          {"resources", ResourcesToJson(s.resources)},
          {"assignments", StringsToJson(s.assignments)},
          {"actions", ActionProgressListToJson(s.actions)},
          {"builds", BuildProgressListToJson(s.builds)},
          {"cordoned", s.cordoned},
          {"consecutiveFailures", s.consecutive_failures},
          {"lastHeartbeatTime", std::move(heartbeat)}};
}

Result<DroneStatus> DroneStatusFromJson(const nlohmann::json& j) {
  std::vector<std::string> errors;
  JsonFields f(j, "", errors);
  DroneStatus s;
  if (const json* c = f.Get("conditions")) s.conditions = ReadConditions(*c, "conditions", errors);
  f.String("health", s.health);
  f.String("healthReason", s.health_reason);
  f.String("deployVersion", s.deploy_version);
  f.String("treeRevision", s.tree_revision);
  ReadResources(f, s.resources, errors);
  f.StringList("assignments", s.assignments);
  ReadActionProgressList(f, s.actions, errors);
  ReadBuildProgressList(f, s.builds, errors);
  f.Bool("cordoned", s.cordoned);
  f.Int("consecutiveFailures", s.consecutive_failures);
  f.OptionalTime("lastHeartbeatTime", s.last_heartbeat_time);
  if (!errors.empty()) return ErrorsToStatus("drone status", errors);
  return s;
}

nlohmann::json DroneReportToJson(const DroneReport& r) {
  return {{"deployVersion", r.deploy_version},
          {"treeRevision", r.tree_revision},
          {"health", r.health},
          {"healthReason", r.health_reason},
          {"resources", ResourcesToJson(r.resources)},
          {"agentVersion", r.agent_version},
          {"actions", ActionProgressListToJson(r.actions)},
          {"builds", BuildProgressListToJson(r.builds)}};
}

Result<DroneReport> DroneReportFromJson(const nlohmann::json& j) {
  std::vector<std::string> errors;
  if (!j.is_object()) {
    return InvalidArgument("invalid heartbeat: expected a JSON object, got " +
                           std::string(j.type_name()));
  }
  JsonFields f(j, "", errors);
  DroneReport r;
  f.Token("deployVersion", r.deploy_version);
  f.Token("treeRevision", r.tree_revision);
  f.Token("health", r.health);
  f.Text("healthReason", r.health_reason, kMaxMessageBytes);
  ReadResources(f, r.resources, errors);
  if (r.resources.cores < 0 || r.resources.memory_bytes < 0) {
    errors.push_back("resources: cores and memoryBytes must not be negative");
  }
  f.Token("agentVersion", r.agent_version);
  ReadActionProgressList(f, r.actions, errors);
  ReadBuildProgressList(f, r.builds, errors);
  if (!errors.empty()) return ErrorsToStatus("heartbeat", errors);
  return r;
}

nlohmann::json EventToJson(const Event& e) {
  return {{"id", e.id},
          {"involvedObject", {{"kind", e.object_kind}, {"name", e.object_name}}},
          {"type", e.type},
          {"reason", e.reason},
          {"message", e.message},
          {"count", e.count},
          {"firstTimestamp", FormatTime(e.first_timestamp)},
          {"lastTimestamp", FormatTime(e.last_timestamp)}};
}

}  // namespace swarm::api

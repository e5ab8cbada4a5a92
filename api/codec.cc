// Decoding of the Swarm resource. JSON bodies come through here too: JSON is
// YAML's flow style and yaml-cpp reads it, so the API and `apply -f` share one
// strict decoder and one set of error messages with line and column.

#include "api/codec.h"

#include "api/defaults.h"
#include "api/quantity.h"
#include "api/validation.h"
#include "api/yaml_fields.h"

namespace swarm::api {
namespace {

// Server-owned metadata: written by the controller, echoed back by operators
// who re-apply what `swarmctl get swarm -o yaml` printed.
const std::vector<std::string> kServerOwnedMetadata = {"generation", "resourceVersion",
                                                       "creationTimestamp", "uid"};

void DecodeQueue(YamlMap& spec, QueueSpec& q) {
  YamlMap queue =
      spec.ReadMap("queue", {"discoverOn", "targets", "emergeArgs", "packages", "requirements"});
  queue.ReadString("discoverOn", q.discover_on);
  queue.ReadStringList("targets", q.targets);
  queue.ReadString("emergeArgs", q.emerge_args);
  queue.ReadStringList("packages", q.packages);
  YamlDiagnostics& diag = spec.diagnostics();
  for (const YamlItem& item : queue.ReadSequence("requirements")) {
    YamlMap m(diag, item.node, item.path, {"match", "memory", "cores"});
    Requirement r;
    m.ReadString("match", r.match);
    m.ReadString("memory", r.memory);
    int cores = 0;
    if (m.ReadInt("cores", cores)) r.cores = cores;
    // An unparsable quantity is reported by Validate; 0 means "not given".
    if (!r.memory.empty()) {
      Result<int64_t> bytes = ParseMemory(r.memory);
      if (bytes.ok()) r.memory_bytes = *bytes;
    }
    q.requirements.push_back(std::move(r));
  }
}

void DecodeDrones(YamlMap& spec, std::vector<DroneSpec>& drones) {
  YamlDiagnostics& diag = spec.diagnostics();
  for (const YamlItem& item : spec.ReadSequence("drones")) {
    YamlMap m(diag, item.node, item.path, {"name", "labels", "roles"});
    DroneSpec d;
    m.ReadString("name", d.name);
    m.ReadStringMap("labels", d.labels);
    m.ReadStringList("roles", d.roles);
    drones.push_back(std::move(d));
  }
}

void DecodePolicy(YamlMap& spec, Policy& p) {
  YamlMap policy = spec.ReadMap(
      "policy", {"heartbeatInterval", "heartbeatGrace", "groundAfterFailures", "groundingCooldown",
                 "systemicFailureFraction", "scheduling", "requireCapacityLabels", "health"});
  policy.ReadDuration("heartbeatInterval", p.heartbeat_interval);
  policy.ReadDuration("heartbeatGrace", p.heartbeat_grace);
  policy.ReadInt("groundAfterFailures", p.ground_after_failures);
  policy.ReadDuration("groundingCooldown", p.grounding_cooldown);
  policy.ReadDouble("systemicFailureFraction", p.systemic_failure_fraction);
  policy.ReadString("scheduling", p.scheduling);
  policy.ReadBool("requireCapacityLabels", p.require_capacity_labels);
  YamlMap health =
      policy.ReadMap("health", {"probeInterval", "memoryDegradedPercent", "diskDegradedPercent"});
  health.ReadDuration("probeInterval", p.health.probe_interval);
  health.ReadInt("memoryDegradedPercent", p.health.memory_degraded_percent);
  health.ReadInt("diskDegradedPercent", p.health.disk_degraded_percent);
}

Swarm DecodeDocument(YamlDiagnostics& diag, const YAML::Node& doc) {
  Swarm s;
  // Absent must not read as the defaults: Validate reports them as required.
  s.api_version.clear();
  s.kind.clear();
  YamlMap root(diag, doc, "", {"apiVersion", "kind", "metadata", "spec"}, {"status"});
  root.ReadString("apiVersion", s.api_version);
  root.ReadString("kind", s.kind);

  YamlMap meta = root.ReadMap("metadata", {"name", "annotations", "labels"}, kServerOwnedMetadata);
  meta.ReadString("name", s.metadata.name);
  meta.ReadStringMap("annotations", s.metadata.annotations);
  std::map<std::string, std::string> labels;  // accepted for kubectl habits; unused
  meta.ReadStringMap("labels", labels);

  YamlMap spec =
      root.ReadMap("spec", {"portage", "deploy", "queue", "drones", "policy", "binhost"});
  spec.ReadMap("portage", {"treeRevision"})
      .ReadString("treeRevision", s.spec.portage.tree_revision);
  spec.ReadMap("deploy", {"version"}).ReadString("version", s.spec.deploy.version);
  DecodeQueue(spec, s.spec.queue);
  DecodeDrones(spec, s.spec.drones);
  DecodePolicy(spec, s.spec.policy);
  YamlMap binhost = spec.ReadMap("binhost", {"promotion", "keepReleases"});
  binhost.ReadString("promotion", s.spec.binhost.promotion);
  binhost.ReadInt("keepReleases", s.spec.binhost.keep_releases);
  return s;
}

// Reports what Validate finds, at the line of the field it names, unless the
// field could not be read at all (its error is already there).
void ReportFieldErrors(YamlDiagnostics& diag, const std::vector<FieldError>& errors) {
  for (const FieldError& e : errors) {
    if (diag.HasErrorAtOrAbove(e.path)) continue;
    std::string message = e.message;
    if (!e.first_path.empty()) {
      SourcePos first = diag.Locate(e.first_path);
      message += first.line > 0 ? " (first at line " + std::to_string(first.line) + ")"
                                : " (first at " + e.first_path + ")";
    }
    diag.AddAt(e.path, message);
  }
}

struct DecodedSwarm {
  Swarm swarm;
  SourcePos start;
};

Result<std::vector<DecodedSwarm>> DecodeStream(std::string_view text, const std::string& source) {
  Result<std::vector<YAML::Node>> docs = LoadYamlDocuments(text, source);
  if (!docs.ok()) return docs.status();
  YamlDiagnostics diag(source);
  std::vector<DecodedSwarm> out;
  for (const YAML::Node& doc : *docs) {
    if (doc.IsNull()) continue;
    diag.BeginDocument();
    Swarm s = DecodeDocument(diag, doc);
    ApplyDefaults(s);
    ReportFieldErrors(diag, Validate(s));
    out.push_back({std::move(s), ToSourcePos(doc.Mark())});
  }
  if (!diag.ok()) return diag.ToStatus();
  return out;
}

}  // namespace

Result<std::vector<Swarm>> DecodeSwarms(std::string_view text, const std::string& source) {
  Result<std::vector<DecodedSwarm>> decoded = DecodeStream(text, source);
  if (!decoded.ok()) return decoded.status();
  std::vector<Swarm> out;
  for (auto& d : *decoded) out.push_back(std::move(d.swarm));
  return out;
}

Result<Swarm> DecodeSwarm(std::string_view text, const std::string& source) {
  Result<std::vector<DecodedSwarm>> decoded = DecodeStream(text, source);
  if (!decoded.ok()) return decoded.status();
  if (decoded->empty()) {
    return InvalidArgument(source + ": expected one Swarm document, found none");
  }
  if (decoded->size() > 1) {
    SourcePos second = (*decoded)[1].start;
    return InvalidArgument(source + ":" + std::to_string(second.line) + ":" +
                           std::to_string(second.column) + ": expected one Swarm document, found " +
                           std::to_string(decoded->size()) + " (the second starts here)");
  }
  return std::move((*decoded)[0].swarm);
}

}  // namespace swarm::api

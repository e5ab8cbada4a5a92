#include "api/protocol.h"

#include "api/json_fields.h"
#include "api/limits.h"
#include "api/packages_index.h"

namespace swarm::api {
namespace {

using nlohmann::json;

json Strings(const std::vector<std::string>& v) {
  json out = json::array();
  for (const auto& s : v) out.push_back(s);
  return out;
}

json BinpkgToJson(const std::optional<BinaryPackageRef>& b) {
  if (!b) return nullptr;
  json j = {{"path", b->path}, {"size", b->size}, {"sha256", b->sha256}};
  if (!b->md5.empty()) j["md5"] = b->md5;
  if (!b->sha1.empty()) j["sha1"] = b->sha1;
  return j;
}

// Digests of the controller's own: a published package's md5 and sha1 are
// read (store rows, the API); a build result's never are.
enum class Digests { kControllers, kNone };

std::optional<BinaryPackageRef> ReadBinpkg(const JsonFields& parent, const std::string& key,
                                           std::vector<std::string>& errors, Digests digests) {
  const json* v = parent.Get(key);
  if (v == nullptr) return std::nullopt;
  JsonFields f(*v, parent.PathOf(key), errors);
  BinaryPackageRef b;
  f.String("path", b.path);
  if (b.path.size() > kMaxBinpkgPathBytes) {
    f.TooLong(f.PathOf("path"), b.path.size(), kMaxBinpkgPathBytes);
  }
  f.Int64("size", b.size);
  f.Token("sha256", b.sha256);
  if (digests == Digests::kControllers) {
    f.String("md5", b.md5);
    f.String("sha1", b.sha1);
  }
  return b;
}

json OptionalTimeToJson(const std::optional<WallTime>& t) {
  if (!t) return nullptr;
  return FormatTime(*t);
}

}  // namespace

json BuildAssignmentToJson(const BuildAssignment& a) {
  json j = {{"id", a.id}, {"package", a.package}, {"attempt", a.attempt},
            {"expectedMs", a.expected_ms}};
  if (!a.tree_revision.empty()) j["treeRevision"] = a.tree_revision;
  return j;
}

Result<BuildAssignment> BuildAssignmentFromJson(const json& j) {
  std::vector<std::string> errors;
  JsonFields f(j, "", errors);
  BuildAssignment a;
  f.String("id", a.id);
  f.String("package", a.package);
  f.Int("attempt", a.attempt);
  f.Int64("expectedMs", a.expected_ms);
  f.String("treeRevision", a.tree_revision);
  if (errors.empty() && (a.id.empty() || a.package.empty()))
    errors.push_back("id and package are required");
  if (!errors.empty()) return ErrorsToStatus("assignment", errors);
  return a;
}

json BuildResultToJson(const BuildResult& r) {
  json j = {{"assignment", r.assignment},   {"package", r.package},
            {"outcome", r.outcome},         {"failureClass", r.failure_class},
            {"phase", r.phase},             {"message", r.message},
            {"logTail", r.log_tail},        {"oomKilled", r.oom_killed},
            {"durationMs", r.duration_ms},  {"binpkg", BinpkgToJson(r.binpkg)}};
  // Optional: a controller that predates it ignores it.
  if (!r.index_entry.empty()) j["indexEntry"] = r.index_entry;
  if (r.cpu_ms > 0) j["cpuMs"] = r.cpu_ms;
  return j;
}

Result<BuildResult> BuildResultFromJson(const json& j) {
  std::vector<std::string> errors;
  if (!j.is_object()) {
    return InvalidArgument("invalid build result: expected a JSON object, got " +
                           std::string(j.type_name()));
  }
  JsonFields f(j, "", errors);
  BuildResult r;
  f.Token("assignment", r.assignment);
  f.Token("package", r.package);
  f.Token("outcome", r.outcome);
  f.Token("failureClass", r.failure_class);
  f.Token("phase", r.phase);
  f.Text("message", r.message, kMaxMessageBytes);
  f.Tail("logTail", r.log_tail, kMaxTailBytes);
  f.Bool("oomKilled", r.oom_killed);
  f.Int64("durationMs", r.duration_ms);
  f.Int64("cpuMs", r.cpu_ms);
  r.binpkg = ReadBinpkg(f, "binpkg", errors, Digests::kNone);
  f.String("indexEntry", r.index_entry);
  if (errors.empty()) {
    if (r.assignment.empty()) errors.push_back("assignment: required");
    if (r.package.empty()) errors.push_back("package: required");
    if (r.outcome != kBuildSucceeded && r.outcome != kBuildFailed && r.outcome != kBuildReturned) {
      errors.push_back("outcome: expected Succeeded, Failed or Returned, got \"" + r.outcome +
                       "\"");
    }
    if (r.outcome == kBuildFailed && r.failure_class != kFailureSystemic &&
        r.failure_class != kFailureFetch && r.failure_class != kFailureDroneResources &&
        r.failure_class != kFailurePackage) {
      errors.push_back(
          "failureClass: expected Systemic, Fetch, DroneResources or Package, got \"" +
          r.failure_class + "\"");
    }
    if (r.outcome == kBuildSucceeded && !r.binpkg) {
      errors.push_back("binpkg: required when outcome is Succeeded");
    }
    if (r.duration_ms < 0 || r.duration_ms > kMaxBuildMs) {
      errors.push_back("durationMs: must be from 0 to " + std::to_string(kMaxBuildMs));
    } else if (r.cpu_ms < 0 || r.cpu_ms > r.duration_ms * kMaxBuildCores) {
      errors.push_back("cpuMs: must be from 0 to durationMs x " + std::to_string(kMaxBuildCores) +
                       " (" + std::to_string(r.duration_ms * kMaxBuildCores) + ")");
    }
    if (r.index_entry.size() > kMaxIndexEntryBytes) {
      f.TooLong("indexEntry", r.index_entry.size(), kMaxIndexEntryBytes);
    } else if (!r.index_entry.empty()) {
      // Its form is checked here, where it comes in; what the binhost serves
      // of it is the controller's to decide (controller/binhost/index.h).
      Result<IndexBlock> entry = ParseIndexEntry(r.index_entry);
      if (!entry.ok()) {
        errors.push_back("indexEntry: " + entry.status().message());
      } else if (*entry->Find("CPV") != r.package) {
        errors.push_back("indexEntry: CPV " + Quote(*entry->Find("CPV"), 120) +
                         " is not the package " + Quote(r.package));
      }
    }
  }
  if (!errors.empty()) return ErrorsToStatus("build result", errors);
  return r;
}

json ActionToJson(const Action& a) {
  json j = {{"id", a.id}, {"type", a.type}};
  if (a.type == kActionDeploy) j["version"] = a.version;
  if (a.type == kActionSync) j["revision"] = a.revision;
  if (a.type == kActionDiscover) {
    j["targets"] = Strings(a.targets);
    j["emergeArgs"] = a.emerge_args;
    j["treeRevision"] = a.tree_revision;
    j["deployVersion"] = a.deploy_version;
    j["queueSpec"] = a.queue_spec;
  }
  return j;
}

Result<Action> ActionFromJson(const json& j) {
  std::vector<std::string> errors;
  JsonFields f(j, "", errors);
  Action a;
  f.String("id", a.id);
  f.String("type", a.type);
  f.String("version", a.version);
  f.String("revision", a.revision);
  f.StringList("targets", a.targets);
  f.String("emergeArgs", a.emerge_args);
  f.String("treeRevision", a.tree_revision);
  f.String("deployVersion", a.deploy_version);
  f.String("queueSpec", a.queue_spec);
  if (errors.empty() && (a.id.empty() || a.type.empty()))
    errors.push_back("id and type are required");
  if (!errors.empty()) return ErrorsToStatus("action", errors);
  return a;
}

json ActionResultToJson(const ActionResult& r) {
  json packages = json::array();
  for (const auto& p : r.packages) {
    json one = {{"name", p.name},
                {"dependencies", Strings(p.dependencies)},
                {"estimatedMs", p.estimated_ms},
                {"estimatedCpuMs", p.estimated_cpu_ms}};
    // Optional: a controller that predates it ignores it.
    if (p.estimated_cores > 0) one["estimatedCores"] = p.estimated_cores;
    packages.push_back(std::move(one));
  }
  return {{"id", r.id},
          {"type", r.type},
          {"succeeded", r.succeeded},
          {"exitCode", r.exit_code},
          {"message", r.message},
          {"outputTail", r.output_tail},
          {"deployVersion", r.deploy_version},
          {"treeRevision", r.tree_revision},
          {"packages", std::move(packages)}};
}

Result<ActionResult> ActionResultFromJson(const json& j) {
  std::vector<std::string> errors;
  JsonFields f(j, "", errors);
  ActionResult r;
  f.Token("id", r.id);
  f.Token("type", r.type);
  if (const json* v = f.Get("succeeded")) {
    if (v->is_boolean()) {
      r.succeeded = v->get<bool>();
    } else {
      errors.push_back(std::string("succeeded: expected a boolean, got ") + v->type_name());
    }
  }
  f.Int("exitCode", r.exit_code);
  f.Text("message", r.message, kMaxMessageBytes);
  f.Tail("outputTail", r.output_tail, kMaxTailBytes);
  f.Token("deployVersion", r.deploy_version);
  f.Token("treeRevision", r.tree_revision);
  if (const json* v = f.Get("packages")) {
    if (!v->is_array()) {
      errors.push_back(std::string("packages: expected an array, got ") + v->type_name());
    } else if (v->size() > kMaxDiscoveredPackages) {
      f.TooMany("packages", v->size(), kMaxDiscoveredPackages);
    } else {
      for (size_t i = 0; i < v->size(); ++i) {
        JsonFields pf((*v)[i], "packages[" + std::to_string(i) + "]", errors);
        DiscoveredPackage p;
        pf.Token("name", p.name);
        pf.TokenList("dependencies", p.dependencies, kMaxDependencies);
        pf.Int64("estimatedMs", p.estimated_ms);
        pf.Int64("estimatedCpuMs", p.estimated_cpu_ms);
        pf.Int("estimatedCores", p.estimated_cores);
        if (p.name.empty()) errors.push_back(pf.PathOf("name") + ": required");
        // Bounded as a build's own times are: the scheduler adds estimates
        // up along chains of dependencies, and two unbounded ones overflowed
        // its sums.
        if (p.estimated_ms < 0 || p.estimated_ms > kMaxBuildMs) {
          errors.push_back(pf.PathOf("estimatedMs") + ": must be from 0 to " +
                           std::to_string(kMaxBuildMs));
        } else if (p.estimated_cpu_ms < 0 || p.estimated_cpu_ms > p.estimated_ms * kMaxBuildCores) {
          errors.push_back(pf.PathOf("estimatedCpuMs") + ": must be from 0 to estimatedMs x " +
                           std::to_string(kMaxBuildCores) + " (" +
                           std::to_string(p.estimated_ms * kMaxBuildCores) + ")");
        }
        if (p.estimated_cores < 0 || p.estimated_cores > kMaxBuildCores) {
          errors.push_back(pf.PathOf("estimatedCores") + ": must be from 0 to " +
                           std::to_string(kMaxBuildCores));
        }
        r.packages.push_back(std::move(p));
      }
    }
  }
  if (errors.empty() && (r.id.empty() || r.type.empty()))
    errors.push_back("id and type are required");
  if (!errors.empty()) return ErrorsToStatus("action result", errors);
  return r;
}

json PackageToJson(const Package& p) {
  json status = {{"phase", p.phase},
                 {"drone", p.drone},
                 {"attempts", p.attempts},
                 {"excludedDrones", Strings(p.excluded_drones)},
                 {"lastFailure", nullptr},
                 {"reason", p.reason},
                 {"treeRevision", p.tree_revision},
                 {"deployVersion", p.deploy_version},
                 {"assignment", p.assignment},
                 {"startedAt", OptionalTimeToJson(p.started_at)},
                 {"needsMemoryOver", p.needs_memory_over},
                 {"needsMemoryCause", p.needs_memory_cause},
                 {"packageFailureDrones", Strings(p.package_failure_drones)},
                 {"binpkg", BinpkgToJson(p.binpkg)},
                 {"buildMs", p.build_ms},
                 {"buildCpuMs", p.build_cpu_ms},
                 {"buildCores", p.build_cores},
                 {"completedAt", OptionalTimeToJson(p.completed_at)},
                 {"estimatedMs", p.estimated_ms},
                 {"estimatedCpuMs", p.estimated_cpu_ms},
                 {"estimatedCores", p.estimated_cores},
                 {"indexEntry", p.index_entry}};
  if (p.last_failure) {
    status["lastFailure"] = {{"class", p.last_failure->failure_class},
                             {"message", p.last_failure->message},
                             {"drone", p.last_failure->drone}};
  }
  return {{"apiVersion", kApiVersion},
          {"kind", kKindPackage},
          {"metadata", {{"name", p.name}}},
          {"spec", {{"dependencies", Strings(p.dependencies)}}},
          {"status", std::move(status)}};
}

Result<Package> PackageFromJson(const json& j) {
  std::vector<std::string> errors;
  JsonFields top(j, "", errors);
  Package p;
  JsonFields meta(top.Child("metadata"), "metadata", errors);
  meta.String("name", p.name);
  JsonFields spec(top.Child("spec"), "spec", errors);
  spec.StringList("dependencies", p.dependencies);
  JsonFields st(top.Child("status"), "status", errors);
  st.String("phase", p.phase);
  st.String("drone", p.drone);
  st.Int("attempts", p.attempts);
  st.StringList("excludedDrones", p.excluded_drones);
  st.String("reason", p.reason);
  st.String("treeRevision", p.tree_revision);
  st.String("deployVersion", p.deploy_version);
  st.String("assignment", p.assignment);
  st.OptionalTime("startedAt", p.started_at);
  st.Int64("needsMemoryOver", p.needs_memory_over);
  st.String("needsMemoryCause", p.needs_memory_cause);
  st.StringList("packageFailureDrones", p.package_failure_drones);
  p.binpkg = ReadBinpkg(st, "binpkg", errors, Digests::kControllers);
  st.Int64("buildMs", p.build_ms);
  st.Int64("buildCpuMs", p.build_cpu_ms);
  st.Int("buildCores", p.build_cores);
  st.OptionalTime("completedAt", p.completed_at);
  st.Int64("estimatedMs", p.estimated_ms);
  st.Int64("estimatedCpuMs", p.estimated_cpu_ms);
  st.Int("estimatedCores", p.estimated_cores);
  st.String("indexEntry", p.index_entry);
  if (const json* lf = st.Get("lastFailure")) {
    JsonFields ff(*lf, "status.lastFailure", errors);
    PackageFailure failure;
    ff.String("class", failure.failure_class);
    ff.String("message", failure.message);
    ff.String("drone", failure.drone);
    p.last_failure = std::move(failure);
  }
  if (!errors.empty()) return ErrorsToStatus("package", errors);
  return p;
}

json ReleaseToJson(const Release& r, bool promoted, bool with_packages) {
  json status = {{"treeRevision", r.tree_revision},
                 {"deployVersion", r.deploy_version},
                 {"queue", r.queue},
                 {"packageCount", r.package_count},
                 {"bytes", r.bytes},
                 {"promoted", promoted},
                 {"promotedAt", OptionalTimeToJson(r.promoted_at)},
                 {"indexTimestamp", r.index_timestamp}};
  if (with_packages) {
    json packages = json::array();
    for (const ReleasePackage& p : r.packages) {
      json jp = {{"name", p.name}, {"binpkg", BinpkgToJson(p.binpkg)}};
      if (!p.index_entry.empty()) jp["indexEntry"] = p.index_entry;
      packages.push_back(std::move(jp));
    }
    status["packages"] = std::move(packages);
  }
  return {{"apiVersion", kApiVersion},
          {"kind", kKindRelease},
          {"metadata", {{"name", r.name}, {"creationTimestamp", FormatTime(r.created)}}},
          {"status", std::move(status)}};
}

Result<Release> ReleaseFromJson(const json& j) {
  std::vector<std::string> errors;
  JsonFields top(j, "", errors);
  Release r;
  JsonFields meta(top.Child("metadata"), "metadata", errors);
  meta.String("name", r.name);
  meta.Time("creationTimestamp", r.created);
  JsonFields st(top.Child("status"), "status", errors);
  st.String("treeRevision", r.tree_revision);
  st.String("deployVersion", r.deploy_version);
  st.String("queue", r.queue);
  st.Int64("packageCount", r.package_count);
  st.Int64("bytes", r.bytes);
  st.OptionalTime("promotedAt", r.promoted_at);
  st.Int64("indexTimestamp", r.index_timestamp);
  if (const json* packages = st.Get("packages")) {
    if (!packages->is_array()) {
      errors.push_back("status.packages: must be a list");
    } else {
      for (size_t i = 0; i < packages->size(); ++i) {
        JsonFields pf((*packages)[i], "status.packages[" + std::to_string(i) + "]", errors);
        ReleasePackage p;
        pf.String("name", p.name);
        if (auto b = ReadBinpkg(pf, "binpkg", errors, Digests::kControllers)) p.binpkg = *b;
        pf.String("indexEntry", p.index_entry);
        r.packages.push_back(std::move(p));
      }
    }
  }
  if (errors.empty() && r.package_count != static_cast<int64_t>(r.packages.size())) {
    errors.push_back("status.packageCount is " + std::to_string(r.package_count) + " but " +
                     std::to_string(r.packages.size()) + " packages are listed");
  }
  if (!errors.empty()) return ErrorsToStatus("release", errors);
  return r;
}

Release ReleaseSummaryOf(const Release& r) {
  Release s;
  s.name = r.name;
  s.created = r.created;
  s.tree_revision = r.tree_revision;
  s.deploy_version = r.deploy_version;
  s.queue = r.queue;
  s.package_count = r.package_count;
  s.bytes = r.bytes;
  s.promoted_at = r.promoted_at;
  s.index_timestamp = r.index_timestamp;
  return s;
}

}  // namespace swarm::api

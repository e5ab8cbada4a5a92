#include "swarmctl/diff.h"

#include "api/codec.h"
#include "swarmctl/apply.h"
#include "swarmctl/errors.h"
#include "swarmctl/unified_diff.h"
#include "swarmctl/yaml_output.h"

namespace swarm::ctl {

std::string ComparableYaml(const Json& swarm) {
  Json out = Json::object();
  for (const char* key : {"apiVersion", "kind"}) {
    if (const Json* v = Find(swarm, {key})) out[key] = *v;
  }
  Json metadata = Json::object();
  for (const char* key : {"name", "generation", "annotations"}) {
    if (const Json* v = Find(swarm, {"metadata", key})) metadata[key] = *v;
  }
  out["metadata"] = std::move(metadata);
  if (const Json* spec = Find(swarm, {"spec"})) out["spec"] = *spec;
  return JsonToYaml(out);
}

int RunDiff(const DiffArgs& args, ApiTransport& api, std::istream& in, std::ostream& out,
            std::ostream& err) {
  if (args.files.empty()) {
    return Fail(err, InvalidArgument("diff needs -f FILE (\"-f -\" reads stdin)"), kExitDiffError);
  }
  auto swarms = ReadSwarms(args.files, in, err);
  if (!swarms.ok()) {
    if (swarms.status().message().empty()) return kExitDiffError;  // printed already
    return Fail(err, swarms.status(), kExitDiffError);
  }
  bool changed = false;
  for (const auto& swarm : *swarms) {
    std::string live;
    auto current = GetJson(api, kSwarmPath);
    if (current.ok()) {
      live = ComparableYaml(*current);
    } else if (current.status().code() != StatusCode::kNotFound) {
      return Fail(err, current.status(), kExitDiffError);
    }
    const std::string path = std::string(kSwarmPath) + "?dryRun=All";
    auto merged = PutJson(api, path, api::SwarmToJson(swarm).dump());
    if (!merged.ok()) return Fail(err, merged.status(), kExitDiffError);
    const Json* would = Find(*merged, {"swarm"});
    if (would == nullptr || !would->is_object()) {
      return Fail(err, Internal("unexpected reply to PUT " + path + ": no \"swarm\" object"),
                  kExitDiffError);
    }
    const std::string name = "swarm/" + swarm.metadata.name;
    const std::string diff =
        UnifiedDiff(live, ComparableYaml(*would), "live/" + name, "merged/" + name);
    out << diff;
    changed = changed || !diff.empty();
  }
  return changed ? kExitDiffChanges : kExitOk;
}

}  // namespace swarm::ctl

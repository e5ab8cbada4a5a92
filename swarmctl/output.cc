#include "swarmctl/output.h"

#include <cassert>

#include "swarmctl/yaml_output.h"

namespace swarm::ctl {

Result<OutputFormat> ParseOutputFormat(const std::string& s) {
  if (s.empty()) return OutputFormat::kTable;
  if (s == "wide") return OutputFormat::kWide;
  if (s == "json") return OutputFormat::kJson;
  if (s == "yaml") return OutputFormat::kYaml;
  if (s == "name") return OutputFormat::kName;
  return InvalidArgument("unknown output format \"" + s + "\" (want wide, json, yaml or name)");
}

void PrintObject(const Json& j, OutputFormat format, std::ostream& out) {
  assert((format == OutputFormat::kJson || format == OutputFormat::kYaml) && "not a data format");
  if (format == OutputFormat::kJson) {
    // Replace invalid UTF-8 rather than throw: the server's bytes are not ours to vouch for.
    out << j.dump(4, ' ', false, Json::error_handler_t::replace) << '\n';
  } else {
    out << JsonToYaml(j);
  }
}

}  // namespace swarm::ctl

namespace swarm::ctl {

std::string ObjectName(const std::string& kind, const Json& object) {
  if (const Json* id = Find(object, {"id"}); id != nullptr && id->is_number()) {
    return kind + "/" + id->dump();
  }
  return kind + "/" + StringOr(object, {"metadata", "name"}, "");
}

}  // namespace swarm::ctl

#include "swarmctl/output.h"

#include <cassert>

#include "swarmctl/yaml_output.h"

namespace swarm::ctl {

Result<OutputFormat> ParseOutputFormat(const std::string& s) {
  if (s.empty()) return OutputFormat::kTable;
  if (s == "wide") return OutputFormat::kWide;
  if (s == "json") return OutputFormat::kJson;
  if (s == "yaml") return OutputFormat::kYaml;
  return InvalidArgument("unknown output format \"" + s + "\" (want wide, json or yaml)");
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

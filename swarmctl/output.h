#pragma once

// The -o formats of `get`, and printing a reply object in the machine ones.

#include <ostream>
#include <string>

#include "base/status.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl {

enum class OutputFormat { kTable, kWide, kJson, kYaml, kName };

// "" is the table; "wide", "json", "yaml" and "name" (kind/name per line,
// for scripts and shell completion) as named. Anything else is
// InvalidArgument naming the accepted values.
Result<OutputFormat> ParseOutputFormat(const std::string& s);

// Writes `j` as JSON indented by 4 spaces, or as YAML, with a final newline.
// Only for kJson and kYaml.
void PrintObject(const Json& j, OutputFormat format, std::ostream& out);

// "<kind>/<metadata.name>" ("event/<id>" for an event), as -o name prints it.
std::string ObjectName(const std::string& kind, const Json& object);

}  // namespace swarm::ctl

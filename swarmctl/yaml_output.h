#pragma once

// JSON replies rendered as YAML for -o yaml.

#include <string>

#include "swarmctl/json_read.h"

namespace swarm::ctl {

// Block-style YAML of `j`, keys in the JSON's order, ending in a newline.
// Strings that a YAML reader would take for another type ("True", "16",
// "2026.02.05", "null", a timestamp) are double-quoted so they read back as
// strings; empty objects and arrays are written "{}" and "[]".
std::string JsonToYaml(const Json& j);

// True when a plain (unquoted) YAML scalar `s` would resolve to a null,
// boolean, number or timestamp under YAML 1.1 or 1.2.
bool ResolvesAsNonString(const std::string& s);

}  // namespace swarm::ctl

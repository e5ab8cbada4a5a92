#pragma once

// Durations ("500ms", "5s", "2m", "1h30m") and memory quantities ("32Gi",
// "512Mi", "2G", "1073741824"), the two value forms the Swarm spec uses.

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace swarm::api {

// Parses one or more <integer><unit> groups, units ms, s, m, h. Rejects empty
// strings, missing units, negative values and overflow with InvalidArgument
// whose message says what was expected.
Result<Duration> ParseDuration(const std::string& s);
// Canonical form that ParseDuration reads back: "5s", "1m30s", "250ms", "0s".
std::string FormatDuration(Duration d);

// Parses a Kubernetes-style quantity of bytes: an integer or decimal number
// followed by nothing, a binary suffix (Ki Mi Gi Ti Pi Ei) or a decimal suffix
// (k M G T P E). The result must be a whole number of bytes and positive.
Result<int64_t> ParseMemory(const std::string& s);
// Shortest exact binary form for people: "32Gi", "1536Mi", "100" (bytes).
std::string FormatMemory(int64_t bytes);

// The `speed` label: a drone's per-core speed relative to the others, a
// decimal number from 0.01 to 1000 (1 when not given).
Result<double> ParseSpeed(const std::string& s);

}  // namespace swarm::api

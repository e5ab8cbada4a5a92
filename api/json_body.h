#pragma once

// Parsing of JSON bodies that crossed the network (requests to the
// controller, its replies to agents), before any codec reads them.

#include <nlohmann/json.hpp>
#include <string_view>

#include "base/status.h"

namespace swarm::api {

// How deep a body may nest arrays and objects. Messages nest four levels at
// most (a discovery's dependencies); nlohmann_json allocates every level,
// so without a bound 8 MiB of '[' take some 600 MB to parse and refuse.
inline constexpr int kMaxJsonDepth = 64;

// `text` as JSON. InvalidArgument "not valid JSON", or "nested deeper than
// 64 levels" (found before anything is allocated for it).
Result<nlohmann::json> ParseJsonBody(std::string_view text);

}  // namespace swarm::api

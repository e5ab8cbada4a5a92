#pragma once

// swarm-sim's output: a table for people, or one JSON object
// (docs/simulator.md lists its fields).

#include <string>

#include <nlohmann/json.hpp>

#include "sim/simulator.h"

namespace swarm::sim {

nlohmann::json ResultToJson(const SimResult& r);
std::string ResultTable(const SimResult& r);

}  // namespace swarm::sim

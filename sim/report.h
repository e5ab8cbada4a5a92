#pragma once

// swarm-sim's output: a table for people, or one JSON object
// (docs/simulator.md lists its fields).

#include <string>

#include <nlohmann/json.hpp>

#include "sim/simulator.h"

namespace swarm::sim {

// `fifo`, when given, is the same run under the fifo policy (--compare fifo):
// JSON puts it under compare.fifo, the table puts it beside `r`.
nlohmann::json ResultToJson(const SimResult& r, const SimResult* fifo = nullptr);
std::string ResultTable(const SimResult& r, const SimResult* fifo = nullptr);

}  // namespace swarm::sim

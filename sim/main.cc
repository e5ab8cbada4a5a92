// swarm-sim: runs a workload on a Swarm's roster in virtual time, on the
// real controller code, and says how long it took against the best possible
// (docs/simulator.md).

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "api/codec.h"
#include "api/quantity.h"
#include "sim/report.h"
#include "sim/simulator.h"
#include "sim/workload.h"

int main(int argc, char** argv) {
  CLI::App app{"Simulates a build swarm on the real controller code, in virtual time.",
               "swarm-sim"};
  app.set_version_flag("--version", SWARM_VERSION);
  std::string swarm_file, workload_file, output = "table", max_time = "720h";
  app.add_option("--swarm", swarm_file, "the Swarm (YAML) whose roster builds")->required();
  app.add_option("--workload", workload_file, "the workload (JSON, docs/simulator.md)")
      ->required();
  app.add_option("-o,--output", output, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  app.add_option("--max-time", max_time, "give up after this much virtual time (e.g. 720h)");
  CLI11_PARSE(app, argc, argv);
  // The controller's own logs would drown the answer.
  spdlog::set_level(spdlog::level::err);

  std::ifstream in(swarm_file, std::ios::binary);
  if (!in) {
    std::cerr << "swarm-sim: cannot read --swarm " << swarm_file << "\n";
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto swarm = swarm::api::DecodeSwarm(text.str(), swarm_file);
  if (!swarm.ok()) {
    std::cerr << "swarm-sim: " << swarm.status().message() << "\n";
    return 2;
  }
  if (auto drones = swarm::sim::SimDrones(*swarm); !drones.ok()) {
    std::cerr << "swarm-sim: " << swarm_file << ": " << drones.status().message() << "\n";
    return 2;
  }
  auto workload = swarm::sim::ReadWorkload(workload_file);
  if (!workload.ok()) {
    std::cerr << "swarm-sim: " << workload.status().message() << "\n";
    return 2;
  }
  swarm::sim::SimOptions options;
  auto limit = swarm::api::ParseDuration(max_time);
  if (!limit.ok() || limit->count() <= 0 || *limit > std::chrono::hours(24 * 365 * 100)) {
    std::cerr << "swarm-sim: --max-time " << max_time
              << " is not a duration like 720h (at most 100 years)\n";
    return 2;
  }
  options.max_virtual_time = *limit;
  auto result = swarm::sim::Simulate(*swarm, *workload, options);
  if (!result.ok()) {
    std::cerr << "swarm-sim: " << result.status().message() << "\n";
    return 1;
  }
  if (output == "json") {
    std::cout << swarm::sim::ResultToJson(*result).dump(2) << "\n";
  } else {
    std::cout << swarm::sim::ResultTable(*result);
  }
  return result->finished ? 0 : 3;
}

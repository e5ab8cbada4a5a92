// swarm-sim: runs a workload on a Swarm's roster in virtual time, on the
// real controller code, and says how long it took against the best possible
// (docs/simulator.md).

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <optional>

#include "api/codec.h"
#include "api/quantity.h"
#include "node-agent/file_util.h"
#include "sim/from_emerge.h"
#include "sim/report.h"
#include "sim/simulator.h"
#include "sim/workload.h"

namespace {

// The text of `path`, or nullopt after saying why not.
std::optional<std::string> Slurp(const std::string& flag, const std::string& path) {
  auto text = swarm::agent::ReadWholeFile(path);
  if (!text.ok()) {
    std::cerr << "swarm-sim: cannot read " << flag << " " << text.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(text).value();
}

int MakeWorkload(const std::string& pretend_file, const std::string& log_file,
                 const swarm::sim::FromEmergeOptions& options) {
  auto pretend = Slurp("--pretend", pretend_file);
  auto log = Slurp("--emerge-log", log_file);
  if (!pretend || !log) return 2;
  auto made = swarm::sim::WorkloadFromEmerge(*pretend, *log, options);
  if (!made.ok()) {
    std::cerr << "swarm-sim: " << made.status().message() << "\n";
    return 2;
  }
  std::cout << swarm::sim::WorkloadToJson(made->workload);
  std::cerr << "swarm-sim: " << made->workload.packages.size() << " packages; "
            << made->timed_by_other_version << " timed by another version in the log, "
            << made->untimed.size() << " not in it (taken as " << options.unknown_seconds
            << " s on one core)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Simulates a build swarm on the real controller code, in virtual time.",
               "swarm-sim"};
  app.set_version_flag("--version", SWARM_VERSION);
  std::string swarm_file, workload_file, output = "table", max_time = "720h";
  app.add_option("--swarm", swarm_file, "the Swarm (YAML) whose roster builds (required)");
  app.add_option("--workload", workload_file, "the workload (JSON, docs/simulator.md) (required)");
  app.add_option("-o,--output", output, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  app.add_option("--max-time", max_time, "give up after this much virtual time (e.g. 720h)");
  std::string policy, compare;
  app.add_option("--policy", policy, "scheduling policy (default: the Swarm's policy.scheduling)")
      ->check(CLI::IsMember({swarm::api::kSchedulingCriticalPath, swarm::api::kSchedulingFifo}));
  app.add_option("--compare", compare, "also run this policy and show both")
      ->check(CLI::IsMember({swarm::api::kSchedulingFifo}));
  uint64_t seed = 1;
  app.add_option("--seed", seed, "seed for flaky drones (default 1)");
  std::vector<std::string> fault_texts;
  app.add_option("--fault", fault_texts,
                 "kill:DRONE@2h, return:DRONE@30m, flaky:DRONE:0.2 or slow:DRONE:3; repeatable");
  std::string trace_file;
  app.add_option("--trace", trace_file, "write each build's start and end to this file");
  bool no_history = false;
  auto* none = app.add_flag("--no-history", no_history,
                            "the controller knows no build times when the queue is discovered");
  bool wall_only = false;
  app.add_flag("--wall-times-only", wall_only,
               "it knows wall times only, as a first queue knows them from emerge.log")
      ->excludes(none);
  CLI::App* make = app.add_subcommand(
      "workload", "write a workload (JSON) from emerge --pretend --tree output and an emerge.log");
  std::string pretend_file, log_file;
  swarm::sim::FromEmergeOptions from;
  make->add_option("--pretend", pretend_file,
                   "what emerge --pretend --tree --color=n --nospinner printed")
      ->required();
  make->add_option("--emerge-log", log_file, "the emerge.log of the machine that printed it")
      ->required();
  make->add_option("--cores", from.cores, "cores of the machine the emerge.log is from")
      ->required();
  make->add_option("--parallel-after", from.parallel_after_seconds,
                   "seconds from which a build is taken to have used every core (default 600)");
  make->add_option("--parallelism", from.parallelism,
                   "the most cores such a build uses on a bigger drone (default 32)");
  CLI11_PARSE(app, argc, argv);
  if (*make) return MakeWorkload(pretend_file, log_file, from);
  if (swarm_file.empty() || workload_file.empty()) {
    std::cerr << "swarm-sim: --swarm and --workload are required (or the workload subcommand); "
                 "see --help\n";
    return 2;
  }
  // The controller's own logs would drown the answer.
  spdlog::set_level(spdlog::level::err);

  auto text = Slurp("--swarm", swarm_file);
  if (!text) return 2;
  auto swarm = swarm::api::DecodeSwarm(*text, swarm_file);
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
  options.policy = policy;
  options.seed = seed;
  options.history = no_history  ? swarm::sim::SimOptions::History::kNone
                    : wall_only ? swarm::sim::SimOptions::History::kWall
                                : swarm::sim::SimOptions::History::kWallAndCpu;
  for (const auto& text : fault_texts) {
    auto fault = swarm::sim::ParseFault(text);
    if (!fault.ok()) {
      std::cerr << "swarm-sim: " << fault.status().message() << "\n";
      return 2;
    }
    options.faults.push_back(*fault);
  }
  std::ofstream trace;
  if (!trace_file.empty()) {
    trace.open(trace_file, std::ios::trunc);
    if (!trace) {
      std::cerr << "swarm-sim: cannot write --trace " << trace_file << "\n";
      return 2;
    }
    options.trace = &trace;
  }
  auto run = [&](const std::string& with_policy) {
    swarm::sim::SimOptions o = options;
    o.policy = with_policy;
    if (with_policy != policy) o.trace = nullptr;
    return swarm::sim::Simulate(*swarm, *workload, o);
  };
  auto result = run(policy);
  if (!result.ok()) {
    std::cerr << "swarm-sim: " << result.status().message() << "\n";
    return result.status().code() == swarm::StatusCode::kInvalidArgument ? 2 : 1;
  }
  std::optional<swarm::sim::SimResult> baseline;
  if (!compare.empty()) {
    auto b = run(compare);
    if (!b.ok()) {
      std::cerr << "swarm-sim: " << compare << ": " << b.status().message() << "\n";
      return 1;
    }
    baseline = std::move(b).value();
  }
  const swarm::sim::SimResult* fifo = baseline ? &*baseline : nullptr;
  if (output == "json") {
    std::cout << swarm::sim::ResultToJson(*result, fifo).dump(2) << "\n";
  } else {
    std::cout << swarm::sim::ResultTable(*result, fifo);
  }
  return result->finished && (!baseline || baseline->finished) ? 0 : 3;
}

#pragma once

// A workload for swarm-sim: what building each package costs
// (docs/simulator.md). One object per package:
//   {"packages": [{"name": "llvm-core/llvm-19.1.7", "deps": ["dev-libs/libxml2-2.13.5"],
//                  "cpuSeconds": 14400, "parallelism": 32, "peakMemoryBytes": 12884901888}]}

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace swarm::sim {

struct WorkPackage {
  std::string name;               // cat/pkg-ver
  std::vector<std::string> deps;  // names of other packages of the workload
  double cpu_seconds = 0;         // CPU time the build takes in all
  int parallelism = 1;            // at most this many cores at once
  int64_t peak_memory_bytes = 0;  // resident at its peak; 0: negligible
};

struct Workload {
  std::vector<WorkPackage> packages;  // in the file's order (emerge's merge order)
};

// Parses `text` (named `source` in errors). InvalidArgument naming the
// package (its index and name) and the field for anything wrong: not JSON, an
// unknown field, a name that is not cat/pkg-ver, a duplicate, a dependency
// that is not in the workload, a negative cost, a dependency cycle.
Result<Workload> ParseWorkload(const std::string& text, const std::string& source);
Result<Workload> ReadWorkload(const std::string& path);
// The file form ParseWorkload reads back.
std::string WorkloadToJson(const Workload& w);

}  // namespace swarm::sim

// swarm-sim as a person runs it: the real binary on the examples.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "tests/integration/harness.h"
#include "tests/support/temp_dir.h"

namespace swarm::testing {
namespace {

TEST(SwarmSimTest, RunsTheExampleWorkloadAndSaysHowFarFromTheBestItIs) {
  CommandOutput run = RunCommand({BinPath("swarm-sim"), "--swarm",
                                  SourcePath("examples/sim-swarm.yaml"), "--workload",
                                  SourcePath("examples/sim-workload.json"), "-o", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out);
  EXPECT_TRUE(j["finished"].get<bool>());
  EXPECT_EQ(j["phases"]["Complete"], 8);
  EXPECT_EQ(j["builds"], 8);
  // rust (16 cores at most) then firefox (32), each alone on the 32-core
  // drone: longer than libxml2, llvm, clang, firefox.
  EXPECT_DOUBLE_EQ(j["criticalPathSeconds"].get<double>(), 21600.0 / 16 + 28800.0 / 32);
  EXPECT_GE(j["makespanSeconds"].get<double>(), j["lowerBoundSeconds"].get<double>());
  ASSERT_EQ(j["drones"].size(), 3u);
  for (const auto& d : j["drones"]) {
    EXPECT_NEAR(d["busySeconds"].get<double>() + d["idleSeconds"].get<double>(),
                j["makespanSeconds"].get<double>(), 0.01)
        << d.dump();
  }

  CommandOutput table = RunCommand({BinPath("swarm-sim"), "--swarm",
                                    SourcePath("examples/sim-swarm.yaml"), "--workload",
                                    SourcePath("examples/sim-workload.json")});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("makespan"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("8 Complete"), std::string::npos) << table.out;
}

TEST(SwarmSimTest, ABadWorkloadIsRefusedSayingWhere) {
  TempDir dir;
  const std::string workload = dir.File("w.json");
  {
    std::ofstream(workload) << R"({"packages": [{"name": "a/b-1", "deps": ["a/c-1"]}]})";
  }
  CommandOutput run = RunCommand({BinPath("swarm-sim"), "--swarm",
                                  SourcePath("examples/sim-swarm.yaml"), "--workload", workload});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find(workload + ": packages[0] (a/b-1): dependency \"a/c-1\" is not a "
                                    "package of the workload"),
            std::string::npos)
      << run.err;
  EXPECT_TRUE(run.out.empty());

  const std::string roster = dir.File("swarm.yaml");
  {
    std::ofstream(roster) << "apiVersion: buildswarm.io/v1alpha1\nkind: Swarm\nmetadata:\n"
                             "  name: sim\nspec:\n  portage:\n    treeRevision: abc\n"
                             "  deploy:\n    version: v1\n  drones:\n    - name: d1\n";
  }
  CommandOutput no_cores = RunCommand({BinPath("swarm-sim"), "--swarm", roster, "--workload",
                                       SourcePath("examples/sim-workload.json")});
  EXPECT_EQ(no_cores.exit_code, 2) << no_cores.err;
  EXPECT_NE(no_cores.err.find("drone d1: label cores is required"), std::string::npos)
      << no_cores.err;
}

}  // namespace
}  // namespace swarm::testing

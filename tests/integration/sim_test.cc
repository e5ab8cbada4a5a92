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

// The operator's question, answered the way docs/simulator.md says: a
// workload from their emerge output and emerge.log, then their swarm and
// the same with one more 16-core drone, each beside the fifo baseline.
TEST(SwarmSimTest, AnswersHowLongMyWorldTakesAndWhatOneMoreDroneBuys) {
  TempDir dir;
  const std::string pretend = dir.File("pretend.txt");
  const std::string log = dir.File("emerge.log");
  std::ofstream(pretend)
      << "\nThese are the packages that would be merged, in reverse order:\n\n"
         "Calculating dependencies... done!\n"
         "[ebuild     U  ] www-client/firefox-134.0.1 [133.0.3]\n"
         "[ebuild     U  ]  dev-lang/rust-1.84.0 [1.83.0]\n"
         "[ebuild     U  ]   llvm-core/llvm-19.1.7 [19.1.4]\n"
         "[ebuild     U  ] app-misc/screen-5.0.0 [4.9.1]\n"
         "[ebuild     U  ] app-misc/tmux-3.5a [3.5]\n"
         "\nTotal: 5 packages (5 upgrades), Size of downloads: 0 KiB\n";
  std::ofstream(log) << "1733472000:  >>> emerge (1 of 5) llvm-core/llvm-19.1.4 to /\n"
                        "1733475600:  ::: completed emerge (1 of 5) llvm-core/llvm-19.1.4 to /\n"
                        "1733475601:  >>> emerge (2 of 5) dev-lang/rust-1.83.0 to /\n"
                        "1733481001:  ::: completed emerge (2 of 5) dev-lang/rust-1.83.0 to /\n"
                        "1733481002:  >>> emerge (3 of 5) www-client/firefox-133.0.3 to /\n"
                        "1733488202:  ::: completed emerge (3 of 5) www-client/firefox-133.0.3 to /\n"
                        "1733488203:  >>> emerge (4 of 5) app-misc/screen-4.9.1 to /\n"
                        "1733488263:  ::: completed emerge (4 of 5) app-misc/screen-4.9.1 to /\n";
  CommandOutput made = RunCommand({BinPath("swarm-sim"), "workload", "--pretend", pretend,
                                   "--emerge-log", log, "--cores", "8"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.err.find("5 packages; 4 timed by another version in the log, 1 not in it"),
            std::string::npos)
      << made.err;
  const std::string workload = dir.Write("world.json", made.out);

  auto simulate = [&](const std::string& roster) {
    CommandOutput run = RunCommand({BinPath("swarm-sim"), "--swarm", roster, "--workload",
                                    workload, "--compare", "fifo", "-o", "json"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return nlohmann::json::parse(run.out);
  };
  const std::string swarm =
      "apiVersion: buildswarm.io/v1alpha1\nkind: Swarm\nmetadata: {name: home}\nspec:\n"
      "  portage: {treeRevision: 0123456789abcdef0123456789abcdef01234567}\n"
      "  deploy: {version: v1}\n  queue: {targets: [\"@world\"]}\n  drones:\n"
      "    - {name: desktop, labels: {cores: \"8\", memory: 32Gi}}\n";
  nlohmann::json today = simulate(dir.Write("swarm.yaml", swarm));
  nlohmann::json more = simulate(dir.Write(
      "more.yaml", swarm + "    - {name: new16, labels: {cores: \"16\", memory: 64Gi}}\n"));
  for (const auto* j : {&today, &more}) {
    EXPECT_EQ((*j)["policy"], "critical-path");
    EXPECT_EQ((*j)["phases"]["Complete"], 5);
    const auto& fifo = (*j)["compare"]["fifo"];
    EXPECT_EQ(fifo["policy"], "fifo");
    for (const char* field : {"makespanSeconds", "lowerBoundSeconds", "criticalPathSeconds",
                              "workBoundSeconds", "builds", "failures", "drones"}) {
      EXPECT_TRUE(fifo.contains(field)) << field;
    }
    EXPECT_LE((*j)["makespanSeconds"].get<double>(), fifo["makespanSeconds"].get<double>());
  }
  // llvm, rust and firefox took 1h, 1h30m and 2h on the 8-core machine: a
  // chain of 4h30m there, 2h15m on a 16-core drone.
  EXPECT_GE(today["makespanSeconds"].get<double>(), 4.5 * 3600);
  EXPECT_LT(more["makespanSeconds"].get<double>(), 0.6 * today["makespanSeconds"].get<double>());
}

}  // namespace
}  // namespace swarm::testing

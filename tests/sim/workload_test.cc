#include "sim/workload.h"

#include <gtest/gtest.h>

namespace swarm::sim {
namespace {

TEST(WorkloadTest, ReadsEveryField) {
  auto w = ParseWorkload(R"({"packages": [
      {"name": "dev-libs/libxml2-2.13.5", "cpuSeconds": 120},
      {"name": "llvm-core/llvm-19.1.7", "deps": ["dev-libs/libxml2-2.13.5"],
       "cpuSeconds": 14400, "parallelism": 32, "peakMemoryBytes": 12884901888}]})",
                         "w.json");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->packages.size(), 2u);
  EXPECT_EQ(w->packages[0].parallelism, 1) << "one core unless said";
  EXPECT_EQ(w->packages[1].deps, std::vector<std::string>{"dev-libs/libxml2-2.13.5"});
  EXPECT_EQ(w->packages[1].cpu_seconds, 14400);
  EXPECT_EQ(w->packages[1].parallelism, 32);
  EXPECT_EQ(w->packages[1].peak_memory_bytes, 12884901888);
}

TEST(WorkloadTest, BadInputIsNamedWithWhereItIs) {
  struct {
    const char* text;
    const char* says;
  } cases[] = {
      {"{", "w.json: not JSON"},
      {R"({"pkgs": []})", "unknown field \"pkgs\""},
      {R"({"packages": [{"cpuSeconds": 1}]})", "packages[0]: \"name\" (cat/pkg-ver) is required"},
      {R"({"packages": [{"name": "llvm"}]})", "packages[0] (llvm): \"name\" is not a cat/pkg-ver"},
      {R"({"packages": [{"name": "a/b-1"}, {"name": "a/b-1"}]})", "packages[1] (a/b-1): listed twice"},
      {R"({"packages": [{"name": "a/b-1", "cpuSeconds": -1}]})", "\"cpuSeconds\" must be a number from 0 to 1e9"},
      {R"({"packages": [{"name": "a/b-1", "cpuSeconds": 1e10}]})", "\"cpuSeconds\" must be a number from 0 to 1e9"},
      {R"({"packages": [{"name": "a/b-1", "cpuSeconds": 1e400}]})", "w.json: not JSON"},
      {R"({"packages": [{"name": "a/b-1", "peakMemoryBytes": 9223372036854775807}]})", "\"peakMemoryBytes\" must be an integer from 0 to 2^50"},
      {R"({"packages": []})", "\"packages\" is empty"},
      {R"({"packages": [{"name": "a/b-1", "parallelism": 0}]})", "\"parallelism\" must be an integer"},
      {R"({"packages": [{"name": "a/b-1", "cores": 2}]})", "packages[0] (a/b-1): unknown field \"cores\""},
      {R"({"packages": [{"name": "a/b-1", "deps": ["a/c-1"]}]})",
       "dependency \"a/c-1\" is not a package of the workload"},
      {R"({"packages": [{"name": "a/b-1", "deps": ["a/c-1"]}, {"name": "a/c-1", "deps": ["a/b-1"]}]})",
       "is on a cycle of dependencies"},
  };
  for (const auto& c : cases) {
    auto w = ParseWorkload(c.text, "w.json");
    ASSERT_FALSE(w.ok()) << c.text;
    EXPECT_EQ(w.status().code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(w.status().message().find(c.says), std::string::npos)
        << c.text << " -> " << w.status().message();
  }
}

}  // namespace
}  // namespace swarm::sim

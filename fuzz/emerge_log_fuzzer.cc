// The agent's reading of emerge.log (node-agent/emerge_log.h) on any text:
// a log is read as it is, never refused, and the build times it gives are
// ones the controller takes (from 0 to api::kMaxBuildMs).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/protocol.h"
#include "fuzz/check.h"
#include "node-agent/emerge_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swarm;
  const std::string_view log(reinterpret_cast<const char*>(data), size);
  const auto merges = agent::ParseEmergeLog(log);
  for (const agent::LoggedMerge& m : merges) {
    FUZZ_CHECK(m.started >= 0 && m.seconds >= 0, "negative time for " + m.cpv);
    FUZZ_CHECK(m.cpv.find('/') != std::string::npos, "not a cat/pkg-ver: " + m.cpv);
  }
  const agent::BuildTimes times(log);
  for (const agent::LoggedMerge& m : merges) {
    if (auto t = times.For(m.cpv)) {
      FUZZ_CHECK(*t >= 0 && *t <= api::kMaxBuildMs / 1000,
                 "build time of " + std::to_string(*t) + " s for " + m.cpv);
    }
  }
  return 0;
}

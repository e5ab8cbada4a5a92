// The agent's reading of `emerge --pretend --tree` (node-agent/emerge_pretend.h)
// on any text: a queue or an error value, never a crash. A queue keeps the
// header's promises, which the controller relies on when it takes the
// discovery: each package once, a cat/pkg-ver the controller accepts, and
// its dependencies listed before it.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "api/cpv.h"
#include "fuzz/check.h"
#include "node-agent/emerge_pretend.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swarm;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto queue = agent::ParseEmergePretend(text);
  if (!queue.ok()) {
    FUZZ_CHECK(
        queue.status().code() == StatusCode::kInvalidArgument && !queue.status().message().empty(),
        queue.status().ToString());
    return 0;
  }
  std::set<std::string> before;
  for (const api::DiscoveredPackage& p : *queue) {
    FUZZ_CHECK(api::ParseCpv(p.name).ok(), "not a cat/pkg-ver: " + p.name);
    for (const std::string& d : p.dependencies) {
      FUZZ_CHECK(before.count(d), d + " is not listed before its dependent " + p.name);
    }
    FUZZ_CHECK(before.insert(p.name).second, p.name + " is listed twice");
  }
  return 0;
}

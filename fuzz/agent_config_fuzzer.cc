// agent.yaml (node-agent/config.h) on any text: a config or an error value
// naming where, never a crash. A relative tokenFile is read from a scratch
// directory holding a token file named "token".

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz/check.h"
#include "node-agent/config.h"

namespace {

std::string scratch;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char dir[] = "/tmp/swarm-agent-config-fuzz.XXXXXX";
  if (::mkdtemp(dir) == nullptr) std::abort();
  scratch = dir;
  std::ofstream(scratch + "/token") << "s3cr3t\n";
  std::atexit([] { std::filesystem::remove_all(scratch); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swarm;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = agent::ParseAgentConfig(text, "agent.yaml", scratch);
  if (!config.ok()) {
    FUZZ_CHECK(config.status().code() == StatusCode::kInvalidArgument &&
                   !config.status().message().empty(),
               config.status().ToString());
    return 0;
  }
  FUZZ_CHECK(!config->name.empty() && !config->controller.empty() && !config->token.empty(),
             "a config without name, controller or token");
  return 0;
}

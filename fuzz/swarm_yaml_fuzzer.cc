// The Swarm codec (api/codec.h) on any text, as PUT /api/v1/swarm and
// `swarmctl apply -f` hand it over: Swarms or an error value naming where,
// never a crash. What decodes must come back unchanged from the form the
// controller stores and serves (SwarmToJson, dumped as the store dumps it),
// since a restart reads the stored spec with the same decoder.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "api/codec.h"
#include "fuzz/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swarm;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<std::vector<api::Swarm>> swarms = api::DecodeSwarms(text, "fuzz.yaml");
  if (!swarms.ok()) {
    FUZZ_CHECK(swarms.status().code() == StatusCode::kInvalidArgument &&
                   !swarms.status().message().empty(),
               swarms.status().ToString());
    return 0;
  }
  for (const api::Swarm& swarm : *swarms) {
    const std::string stored =
        api::SwarmToJson(swarm).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    Result<api::Swarm> again = api::DecodeSwarm(stored, "stored swarm");
    FUZZ_CHECK(again.ok(), "the stored form does not decode: " + again.status().ToString() +
                               "\nstored: " + stored);
    FUZZ_CHECK(again->spec == swarm.spec && again->metadata.name == swarm.metadata.name,
               "the stored form decodes to another spec: " + stored);
  }
  return 0;
}

// The build-failure classifier (node-agent/build_failure.h) on any output and
// any way emerge ended: the first four bytes say how (exit code or signal),
// the rest is the output. It always answers, with a one-line reason and a
// bounded log tail, since both go into the build result as they are.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "fuzz/check.h"
#include "node-agent/build_failure.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swarm::agent;
  if (size < 4) return 0;
  // Byte 0: killed by a signal (odd) or exited; bytes 1-3: the number.
  const bool killed = data[0] & 1;
  const int number = killed ? data[1] % 65 : (data[1] << 16 | data[2] << 8 | data[3]) - 0x800000;
  const std::string_view output(reinterpret_cast<const char*>(data) + 4, size - 4);
  const BuildFailure f = ClassifyBuildFailure(output, killed ? -1 : number, killed, number);
  FUZZ_CHECK(!f.reason.empty(), "no reason given");
  FUZZ_CHECK(f.reason.find('\n') == std::string::npos, "reason of several lines: " + f.reason);
  FUZZ_CHECK(f.phase.find('\n') == std::string::npos, "phase of several lines: " + f.phase);
  FUZZ_CHECK(f.log_tail.size() <= 8 * 1024, "log tail of " + std::to_string(f.log_tail.size()));
  FUZZ_CHECK(!f.out_of_memory || f.failure_class == FailureClass::kDroneResources,
             std::string("out of memory but ") + FailureClassName(f.failure_class));
  return 0;
}

#pragma once

// What a fuzz target asserts beyond "no crash, no leak, no undefined
// behaviour": a promise the code under test makes in its header. A broken
// one aborts, so libFuzzer keeps the input as a crash.

#include <cstdio>
#include <cstdlib>
#include <string>

namespace swarm::fuzz {

[[noreturn]] inline void CheckFailed(const char* condition, const std::string& what,
                                     const char* file, int line) {
  std::fprintf(stderr, "%s:%d: broken promise: %s\n  %s\n", file, line, condition, what.c_str());
  std::abort();
}

}  // namespace swarm::fuzz

// FUZZ_CHECK(condition, what): `what` (a std::string expression) is only
// built when the condition fails.
#define FUZZ_CHECK(condition, what)                                                       \
  do {                                                                                    \
    if (!(condition)) ::swarm::fuzz::CheckFailed(#condition, (what), __FILE__, __LINE__); \
  } while (0)

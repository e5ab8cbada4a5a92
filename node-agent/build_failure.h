#pragma once

// Tells whose fault a failed `emerge --oneshot ... =cat/pkg-ver` was, from
// emerge's own messages, so the controller can ground a drone, block a
// package, or raise a swarm-wide fault without guessing.

#include <string>
#include <string_view>

namespace swarm::agent {

enum class FailureClass {
  kSystemic,        // the tree or profile: the same on every drone (slot conflict, masked, ...)
  kFetch,           // a distfile could not be downloaded
  kDroneResources,  // this drone ran out of memory or disk
  kPackage,         // the package itself failed to build
};

// "Systemic", "Fetch", "DroneResources", "Package": the names api::PackageFailure
// carries in failure_class.
const char* FailureClassName(FailureClass c);

struct BuildFailure {
  FailureClass failure_class = FailureClass::kPackage;
  std::string phase;     // ebuild phase that died ("compile", "configure", ...); "" if unknown
  std::string reason;    // one line: the message that decided the class
  std::string log_tail;  // the last lines of the output, for a person
  // The deciding evidence is memory exhaustion: an OOM-killed compiler or an
  // allocation failure (not a check-reqs refusal, not a bare SIGKILL).
  bool out_of_memory = false;
};

// Classifies a failed emerge run from its combined output and how it ended:
// `exit_code` when it exited, or `signal` when `killed_by_signal`. When several
// kinds of evidence are present the order is DroneResources (out of memory,
// disk full, check-reqs refusal) over Systemic (resolver refusals) over Fetch
// over Package: an OOM-killed compiler also makes the phase fail, and a
// resolver refusal is never one drone's fault. A run killed by SIGKILL with
// nothing recognisable in its output is DroneResources; any other run with
// nothing recognisable is Package with reason "emerge exited N" (or "emerge
// killed by signal N"). Thread safety: a pure function.
BuildFailure ClassifyBuildFailure(std::string_view output, int exit_code, bool killed_by_signal,
                                  int signal);

}  // namespace swarm::agent

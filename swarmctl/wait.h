#pragma once

// `swarmctl wait --for=condition=NAME[=STATUS] [--timeout=DURATION]`, as
// `kubectl wait`: until the Swarm's condition has that status (True when
// not given), on the API's watch.

#include <ostream>
#include <string>

#include "base/clock.h"
#include "swarmctl/api_client.h"

namespace swarm::ctl {

struct WaitArgs {
  std::string for_condition;    // "condition=QueueComplete", "condition=Converged=True"
  std::string timeout = "30s";  // as kubectl wait; "0s" looks once
};

// Prints "swarm/<name> condition met" and returns kExitOk once it holds.
// With `progress` (a terminal), keeps one line up to date meanwhile
// ("312/1500 packages complete, ETA 1h12m"), cleared at the end. Returns
// kExitError after one "error: " line on `err` when the timeout passes
// ("timed out waiting for the condition"), when QueueComplete is awaited
// and the packages left are Blocked or Failed (no build will end the wait;
// a person must), or when a request fails; kExitUsage for a malformed --for
// or --timeout.
int RunWait(const WaitArgs& args, ApiTransport& api, const Clock& clock, bool progress,
            std::ostream& out, std::ostream& err);

}  // namespace swarm::ctl

#pragma once

// How the queue goes, as `status` and `wait` print it: packages done of the
// total, the ETA and the idle share, from the Swarm's status.queue and
// status.progress (docs/operations.md, "Progress").

#include <optional>
#include <string>

#include "base/clock.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl {

struct QueueOutlook {
  int complete = 0;
  int total = 0;
  // How long from `now` until the queue is built: the controller's estimate
  // less the time since its pass. Unset when it gave none.
  std::optional<Duration> eta;
  int cores = 0;          // of the drones that may take work
  double busy_cores = 0;  // used by their builds
};

// Unset when the Swarm reports no queue counts.
std::optional<QueueOutlook> ProgressOf(const Json& swarm, WallTime now);

// "1h12m", "12m", "40s": two units at most, for a person.
std::string FormatEta(Duration d);

// "312/1500 packages complete, ETA 1h12m" (", ETA unknown" without one).
std::string ProgressLine(const QueueOutlook& p);

// "12 of 40 cores idle (30%)"; "no drone may take work" without cores.
std::string IdleLine(const QueueOutlook& p);

}  // namespace swarm::ctl

#pragma once

// What tests need to know of real processes they started: whether one is
// gone, read from /proc.

#include <sys/types.h>

namespace swarm::testing {

// True when `pid` has ended: no longer in /proc, or a zombie (a process
// killed after its parent died waits for a reaper that may be slow, or
// absent in a container whose init does not reap).
bool IsDead(pid_t pid);

}  // namespace swarm::testing

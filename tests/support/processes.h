#pragma once

// What tests need to know of real processes, read from /proc: whether one is
// gone, when it started, who is in a process group.

#include <sys/types.h>

#include <cstdint>
#include <vector>

namespace swarm::testing {

// True when `pid` has ended: no longer in /proc, or a zombie (a process
// killed after its parent died waits for a reaper that may be slow, or
// absent in a container whose init does not reap).
bool IsDead(pid_t pid);

// When `pid` started: field 22 of /proc/<pid>/stat, in clock ticks after
// boot; 0 when it cannot be read.
uint64_t StartTime(pid_t pid);

// The live (not zombie) processes whose process group is `group`.
std::vector<pid_t> GroupMembers(pid_t group);

}  // namespace swarm::testing

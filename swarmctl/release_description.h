#pragma once

// The text of `describe release`.

#include <optional>
#include <ostream>
#include <vector>

#include "base/clock.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl {

// Name, Created, Tree Revision, Deploy Version, Queue (the digest of the
// queue it completes; "<none>" for one cut before the queue was), Packages,
// Size (rounded, and in bytes), Promoted (true or false), Last Promoted
// ("<never>"), Previous (the release before it, "<none>"); Changes against
// that one: "Added (N):", "Removed (N):", "Rebuilt (N):" (same package,
// another file), each naming its packages ("<unavailable>" when the reply
// has no status.changes); Events (nullopt: could not be listed). Times are
// read at `now`.
void DescribeRelease(const Json& release, const std::optional<std::vector<const Json*>>& events,
                     WallTime now, std::ostream& out);

}  // namespace swarm::ctl

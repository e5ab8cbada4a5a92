#pragma once

// The releases table of `get releases`.

#include <ostream>
#include <vector>

#include "base/clock.h"
#include "swarmctl/json_read.h"
#include "swarmctl/table.h"

namespace swarm::ctl {

// Columns NAME, PACKAGES, SIZE ("9.9 GiB"), AGE (since it was cut) and
// PROMOTED ("*" on the release /binhost/current serves, as kubectl marks the
// current context), one row per release in the order given (the API's:
// oldest first). `wide` adds TREE (short), DEPLOY and LAST PROMOTED (the age
// of its last promotion, "<never>"). Ages are taken at `now`.
Table ReleaseTable(const std::vector<const Json*>& releases, bool wide, WallTime now);
void PrintReleaseTable(const std::vector<const Json*>& releases, bool wide, WallTime now,
                       std::ostream& out);

}  // namespace swarm::ctl

#pragma once

// The events table of `get events`.

#include <vector>

#include "base/clock.h"
#include "swarmctl/json_read.h"
#include "swarmctl/table.h"

namespace swarm::ctl {

// Columns LAST SEEN (with "(xN over AGE)" for a folded event), TYPE, REASON,
// OBJECT (kind/name, lower-case kind as kubectl prints it) and MESSAGE, one
// row per event in the order given. Ages are taken at `now`.
Table EventTable(const std::vector<const Json*>& events, WallTime now);

}  // namespace swarm::ctl

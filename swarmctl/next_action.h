#pragma once

// What needs a person, read off the reconciled state: the NEXT ACTION
// section of `swarmctl status`. Pure functions of the replies, so every rule
// is tested with a table of inputs.

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl {

// At most this many blocked packages are named; the rest are counted.
inline constexpr size_t kMaxBlockedNamed = 10;
// Server messages quoted in an action are cut to this many characters.
inline constexpr size_t kMaxQuotedMessage = 200;

// One line per thing a person must do, most central first: a systemic
// fault, failing queue discovery, then per drone (in list order) never
// joined, unreachable since (time at `now`), deploy hook failing, sync hook
// failing; then blocked packages (`packages`; nullopt when they could not be
// listed, then only the swarm's blocked count). Empty when the swarm needs
// nobody.
std::vector<std::string> NextActions(const Json& swarm, const std::vector<const Json*>& drones,
                                     const std::optional<std::vector<const Json*>>& packages,
                                     WallTime now);

// The line shown when NextActions is empty: converged when the swarm's
// Converged condition is True, else converging on its own.
std::string NothingToDo(const Json& swarm);

}  // namespace swarm::ctl

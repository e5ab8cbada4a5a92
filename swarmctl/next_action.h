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
// How the controller's scheduler starts the reason of a package no drone has
// the capacity for (controller/scheduler.h kNoDroneCanTakeIt).
inline constexpr char kNoDroneCanTakeIt[] = "no drone can take it: ";

// One line per thing a person must do, most central first: a systemic fault
// (what the controller does about it, or that it persists and needs
// `swarmctl fresh`), failing queue discovery; then per drone (in list order)
// never joined, unreachable since (time at `now`), grounded, capacity labels
// missing where required or reported beyond, DEGRADED or CRITICAL while
// Ready, deploy hook failing, sync hook failing, cordoned;
// then blocked packages (`packages`; nullopt when they could not be listed,
// then only the swarm's blocked count), each with what would unblock it;
// last, a release awaiting promotion (Released False, AwaitingPromotion).
// Empty when the swarm needs nobody.
std::vector<std::string> NextActions(const Json& swarm, const std::vector<const Json*>& drones,
                                     const std::optional<std::vector<const Json*>>& packages,
                                     WallTime now);

// The line shown when NextActions is empty: converged when the swarm's
// Converged condition is True, else converging on its own.
std::string NothingToDo(const Json& swarm);

// A condition message without the remedy the controller appends to it ("...;
// nothing is dispatched: ...", "...; no work until ..."), which the action
// line states itself; the whole message when it has none.
std::string Evidence(const std::string& message);

}  // namespace swarm::ctl

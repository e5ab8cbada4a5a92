#pragma once

// Ages as kubectl prints them: the one most significant unit, truncated.

#include <optional>
#include <string>

#include "base/clock.h"

namespace swarm::ctl {

// "0s".."59s", "1m".."59m", "1h".."23h", "1d".."364d", then years ("2y").
// Up to a second in the future reads "0s" (clocks drift); further is "<invalid>".
std::string FormatAge(Duration d);

// The age at `now` of an RFC 3339 timestamp; nullopt when `timestamp` is
// absent or not a time this program can read.
std::optional<std::string> AgeOf(const std::optional<std::string>& timestamp, WallTime now);

}  // namespace swarm::ctl

#pragma once

// Parts that `describe drone` and `describe swarm` share.

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "swarmctl/describe_writer.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl {

// "Conditions:" and a TYPE, STATUS, REASON, MESSAGE, LAST TRANSITION table,
// or "<none>".
void WriteConditions(DescribeWriter& w, const std::vector<const Json*>& conditions);

// "Events:" and a TYPE, REASON, AGE, MESSAGE table, or "<none>";
// "<unavailable>" when the events could not be listed (nullopt).
void WriteEvents(DescribeWriter& w, const std::optional<std::vector<const Json*>>& events,
                 WallTime now);

// An event's age as kubectl shows it: "5s", or "3m (x4 over 2h)" for a
// folded event seen `count` times since firstTimestamp.
std::string EventAge(const Json& event, WallTime now);

// "2026-02-05T10:30:00Z (5s ago)"; `absent` when there is no timestamp.
std::string TimeWithAge(const std::optional<std::string>& timestamp, WallTime now,
                        const std::string& absent);

// A scalar as text (a string as is, a number as JSON spells it), "<none>"
// when missing or null; compact JSON for anything else.
std::string ScalarText(const Json* v);

}  // namespace swarm::ctl

#pragma once

// How one Release's fields read in `get releases`, `describe release`,
// `release cut --wait` and `status`. Each takes a Release object as the API
// returns it (docs/api.md, "Releases") and never fails: what is missing
// reads as "-" or "<none>".

#include <cstdint>
#include <optional>
#include <string>

#include "swarmctl/json_read.h"

namespace swarm::ctl {

// What the PROMOTED column holds for the release /binhost/current serves,
// as kubectl marks the CURRENT context.
inline constexpr char kPromotedMark[] = "*";

// A size in binary units as `ls -h` rounds it, with the unit spelled out:
// 512 -> "512 B", 1288490189 -> "1.2 GiB", 13958643712 -> "13 GiB" (one
// decimal below 10 of the unit, none from 10 up). "-" when negative.
std::string FormatSize(int64_t bytes);

// True when status.promoted is true: /binhost/current serves it.
bool IsPromoted(const Json& release);

// status.packageCount, else the length of status.packages; nullopt when
// the reply has neither.
std::optional<int64_t> PackageCount(const Json& release);

// Column values: the package count, FormatSize of status.bytes, and
// kPromotedMark or "". "-" for a count or size the reply lacks.
std::string PackagesColumn(const Json& release);
std::string SizeColumn(const Json& release);
std::string PromotedColumn(const Json& release);

// "1418 packages, 9.9 GiB": how `release cut --wait` sums up a release.
std::string ReleaseSummaryText(const Json& release);

}  // namespace swarm::ctl

#pragma once

// How one Drone's fields read in `get` and `describe`. Each takes a Drone
// object as the API returns it and never fails: what is missing reads as
// "<none>", "-" or "<never>".

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl {

inline constexpr char kNone[] = "<none>";
inline constexpr char kNotReported[] = "-";

// True once the drone has sent a heartbeat (lastHeartbeatTime is set).
bool HasJoined(const Json& drone);

// The Ready condition's status, "True", "False" or "Unknown" (also when
// absent or odd), and its reason or "<none>".
std::string ReadyStatus(const Json& drone);
std::string ReadyReason(const Json& drone);

// True when status.cordoned is true (`swarmctl cordon` or `drain`).
bool IsCordoned(const Json& drone);
// True when the Grounded condition's status is True.
bool IsGrounded(const Json& drone);

// STATUS as kubectl spells a node's: "Ready", "NotReady" or "Unknown" from the
// Ready condition, then ",SchedulingDisabled" when cordoned and ",Grounded"
// when grounded: "Ready,SchedulingDisabled,Grounded".
std::string StatusColumn(const Json& drone);

// The packages the controller assigned to it (status.assignments): "<none>",
// "dev-libs/openssl-3.3.3", or the first and a count, "dev-libs/openssl-3.3.3
// (+1 more)"; `whole` lists them all, comma-separated.
std::string BuildingColumn(const Json& drone, bool whole);

// A condition as one cell: "True", else its status and reason ("False
// (DeployFailed)"); "-" when the drone has no condition of that type.
std::string ConditionColumn(const Json& drone, const std::string& type);

// The actions the drone last reported holding, "sync Running, deploy
// Queued"; "<none>".
std::string ActionsColumn(const Json& drone);

// The first 12 characters of a tree revision, "<none>" when empty.
std::string ShortRevision(const std::string& revision);

// Bytes rounded to a whole number of the largest binary unit that keeps at
// least two digits: 33285996544 -> "31Gi", 1503238553 -> "1434Mi". "-" when
// not positive.
std::string ApproxMemory(int64_t bytes);
// A percentage rounded to an integer: 41.5 -> "42%".
std::string FormatPercent(double percent);
// A load average with two decimals: "3.20".
std::string FormatLoad(double load);

// Column values: "-" for a drone that never joined or did not report the field.
std::string CoresColumn(const Json& drone);
std::string MemoryColumn(const Json& drone);  // "31Gi (42%)"
std::string DiskColumn(const Json& drone);    // "63%"
std::string LoadColumn(const Json& drone);    // "3.20"

// Age of the last heartbeat ("5s"), or "<never>".
std::string LastSeenColumn(const Json& drone, WallTime now);

}  // namespace swarm::ctl

#pragma once

// The controller's replies to an agent (docs/api.md): to a heartbeat, what
// the controller wants of the drone now; to a build result, the builds the
// drone holds now. One codec each, used by the API server to write them and
// by the agent to read them.
//
// Reading is lenient item by item: an action or assignment that does not
// decode, whose id is not safe (IsSafeId), or whose id repeats, is left out
// and described in `skipped` ("assignments[3]: ..."), so one bad item never
// stops the rest. Unknown fields are ignored, so a newer controller can talk
// to an older agent.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "api/types.h"
#include "base/status.h"

namespace swarm::api {

struct HeartbeatReply {
  Duration heartbeat_interval{5000};
  HealthPolicy health;
  std::vector<Action> actions;               // every action the controller wants now
  std::vector<BuildAssignment> assignments;  // every build the drone holds now
  bool operator==(const HeartbeatReply&) const = default;
};

struct BuildResultReply {
  // Every build the drone holds now, the next included; nullopt when the
  // reply has none to say (an older controller): nothing is taken back.
  std::optional<std::vector<BuildAssignment>> assignments;
  bool operator==(const BuildResultReply&) const = default;
};

nlohmann::json HeartbeatReplyToJson(const HeartbeatReply& r);
// InvalidArgument (naming the field) when `j` is not an object, or a known
// field has the wrong type or an out-of-range value (percentages are
// integers 1..100). Fields left out keep the defaults (5s; 15s, 85%, 90%).
Result<HeartbeatReply> HeartbeatReplyFromJson(const nlohmann::json& j,
                                              std::vector<std::string>* skipped);

nlohmann::json BuildResultReplyToJson(const BuildResultReply& r);
// InvalidArgument when `j` is not an object or `assignments` is not an array.
Result<BuildResultReply> BuildResultReplyFromJson(const nlohmann::json& j,
                                                  std::vector<std::string>* skipped);

// True when `id` may name a file and a URL path segment: 1 to 128 of
// [A-Za-z0-9._-], not starting with '.'. Action and assignment ids end up in
// stateDir/logs/<id>.log and in report paths on the drone.
bool IsSafeId(const std::string& id);

// The items of an `actions` or `assignments` array (anything else: none),
// leniently as above (an id listed twice is left out the second time);
// `skipped` gets one line per item left out.
std::vector<Action> ActionsFromJson(const nlohmann::json& actions,
                                    std::vector<std::string>* skipped);
std::vector<BuildAssignment> AssignmentsFromJson(const nlohmann::json& assignments,
                                                 std::vector<std::string>* skipped);

}  // namespace swarm::api

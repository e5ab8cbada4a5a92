#pragma once

// Strict decoding of the Swarm resource from YAML (and JSON, which is YAML's
// flow style: the one decoder reads both), and encoding to JSON. Every error
// names where it is ("<source>:<line>:<column>: <field path>: <what was expected>").

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/types.h"
#include "base/status.h"

namespace swarm::api {

// Decodes every document of a (possibly multi-document, "---") YAML stream.
// Empty documents are skipped. Unknown fields, wrong types, bad durations and
// quantities, wrong apiVersion/kind and everything Validate() rejects are
// InvalidArgument; the message lists every error found, one per line, in
// document order, each prefixed "<source>:<line>:<column>: ". Defaults are
// applied to what decodes. `status` and server-owned metadata are ignored
// when present (an operator may apply what `get -o yaml` printed).
Result<std::vector<Swarm>> DecodeSwarms(std::string_view text, const std::string& source);

// Decodes exactly one Swarm (a request body). Zero or several documents are
// InvalidArgument.
Result<Swarm> DecodeSwarm(std::string_view text, const std::string& source);

// Wire and storage form: apiVersion, kind, metadata, spec, status, with the
// field names of the YAML. DecodeSwarm(SwarmToJson(s).dump()) gives back s's
// spec and name.
nlohmann::json SwarmToJson(const Swarm& s);
nlohmann::json SwarmSpecToJson(const SwarmSpec& spec);

nlohmann::json ConditionsToJson(const std::vector<Condition>& conditions);
// Lenient reader for conditions this program wrote itself (store, API replies).
Result<std::vector<Condition>> ConditionsFromJson(const nlohmann::json& j);
nlohmann::json SwarmStatusToJson(const SwarmStatus& s);
Result<SwarmStatus> SwarmStatusFromJson(const nlohmann::json& j);

// A Drone as the API shows it (metadata.name, spec.labels, spec.roles, status).
nlohmann::json DroneToJson(const Drone& d);
nlohmann::json DroneStatusToJson(const DroneStatus& s);
Result<DroneStatus> DroneStatusFromJson(const nlohmann::json& j);

// Heartbeat body sent by agents. Reading is strict about types (a number
// where a number belongs) and tolerant of unknown fields from newer agents.
nlohmann::json DroneReportToJson(const DroneReport& r);
Result<DroneReport> DroneReportFromJson(const nlohmann::json& j);

nlohmann::json EventToJson(const Event& e);

}  // namespace swarm::api

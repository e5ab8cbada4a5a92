#pragma once

// Lenient reads of the controller's JSON replies. A missing field, or one of
// an unexpected type, reads as absent, so an odd reply renders as "<none>"
// instead of crashing the CLI. Replies are parsed into ordered_json so that
// -o json and -o yaml keep the server's key order.

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace swarm::ctl {

using Json = nlohmann::ordered_json;

// The value at `path` (object keys), or nullptr when any step is missing or
// not an object.
const Json* Find(const Json& j, std::initializer_list<std::string_view> path);

// The string at `path`, or nullopt when absent or not a string.
std::optional<std::string> StringAt(const Json& j, std::initializer_list<std::string_view> path);
// Like StringAt, but absent and empty both read as `fallback`.
std::string StringOr(const Json& j, std::initializer_list<std::string_view> path,
                     const std::string& fallback);
// The number at `path`, or nullopt when absent or not a number.
std::optional<double> NumberAt(const Json& j, std::initializer_list<std::string_view> path);
// The integer at `path`; a number with a fraction is truncated.
std::optional<int64_t> IntAt(const Json& j, std::initializer_list<std::string_view> path);
// The strings of the array at `path`; elements that are not strings are skipped.
std::vector<std::string> StringsAt(const Json& j, std::initializer_list<std::string_view> path);
// The object elements of the array at `path`; anything else is skipped.
std::vector<const Json*> ObjectsAt(const Json& j, std::initializer_list<std::string_view> path);
// The string entries of the object at `path` as "k=v", sorted by key.
std::vector<std::string> KeyValuesAt(const Json& j, std::initializer_list<std::string_view> path);

// The object of type `type` in a conditions array at `path`, or nullptr.
const Json* FindConditionAt(const Json& j, std::initializer_list<std::string_view> path,
                            const std::string& type);

// "a,b,c"; `empty` when there are none.
std::string JoinOr(const std::vector<std::string>& parts, const std::string& sep,
                   const std::string& empty);

}  // namespace swarm::ctl

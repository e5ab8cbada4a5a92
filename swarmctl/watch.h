#pragma once

// `get ... --watch`: the objects as they are, then each change as it
// happens, from the API's watch (docs/api.md, "Watching"), never by listing
// again (except after 410 Expired, as a Kubernetes client does).

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "base/clock.h"
#include "swarmctl/api_client.h"
#include "swarmctl/output.h"
#include "swarmctl/table.h"

namespace swarm::ctl {

// How long each watch request waits for a change, under the client's
// 10 s read timeout.
inline constexpr int kWatchSeconds = 5;

struct WatchSpec {
  // A list's path, with its own query if any (/api/v1/events?kind=Drone&...).
  std::string path;
  // Only the object of this name ("" every one).
  std::string name;
  // What -o name calls the objects: "drone", "package", ...
  std::string kind;
  OutputFormat format = OutputFormat::kTable;
  // The table of these objects as they are at `now` (a header and a row each).
  std::function<Table(const std::vector<const Json*>&, WallTime now)> table;
};

// Prints, until the controller cannot be reached or a reply is an error:
// a table of every object, then a row for each object whose row changed
// (a deleted one last as it was seen, by name); -o json|yaml prints each
// object as it is at each change. Returns kExitError after one "error: "
// line on `err`.
int RunWatch(const WatchSpec& spec, ApiTransport& api, const Clock& clock, std::ostream& out,
             std::ostream& err);

// `path` with "watch=true", the resource version (none: every object first
// as ADDED) and how long to wait (timeoutSeconds) added to its query.
std::string WatchPath(const std::string& path, const std::string& resource_version,
                      int seconds = kWatchSeconds);

}  // namespace swarm::ctl

#pragma once

// `swarmctl release cut [--wait[=DURATION]]`: ask the controller to cut a
// release of the binhost now, from what is published (admin token).

#include <ostream>
#include <string>

#include "base/clock.h"
#include "swarmctl/api_client.h"

namespace swarm::ctl {

// How long `--wait` alone waits: a cut links and re-hashes every file of
// the binhost, minutes for tens of GiB on a slow disk.
inline constexpr char kDefaultCutWait[] = "10m";

struct ReleaseCutArgs {
  bool wait = false;    // --wait given
  std::string timeout;  // --wait=DURATION; empty: kDefaultCutWait
};

// POSTs /api/v1/releases and prints the reply's message. With `wait`, then
// follows the API's event watch until either a release that was not in the
// list before the request is listed ("release/<name> cut (<n> packages,
// <size>)", kExitOk; the newest when several are) or a ReleaseRefused event
// of the Swarm newer than the request arrives (its message as the "error: "
// line, kExitError). A release event, or a watch that times out quiet, makes
// it list the releases again; events are judged against those listed before
// the request (by id, count and last timestamp), so an old refusal never
// ends the wait, even after the watch had to start over (410 Expired).
// Returns kExitError after one "error: " line on `err` when a request fails
// or the timeout passes, kExitUsage for a malformed timeout.
int RunReleaseCut(const ReleaseCutArgs& args, ApiTransport& api, const Clock& clock,
                  std::ostream& out, std::ostream& err);

}  // namespace swarm::ctl

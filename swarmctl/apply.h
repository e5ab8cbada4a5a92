#pragma once

// `swarmctl apply -f FILE...` (FILE "-" is stdin).

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "api/types.h"
#include "swarmctl/api_client.h"

namespace swarm::ctl {

struct ApplyArgs {
  std::vector<std::string> files;  // "-" reads `in`
  std::string dry_run;             // "" or "none": apply; "server": decided, not stored
};

// The Swarms of every document of every file ("-" reads `in`), in order.
// Every bad file is reported on `err` ("error: file:line:col: ...") before
// this returns InvalidArgument, whose message is then empty; an unreadable
// file or no document at all is an error of its own (not yet printed).
Result<std::vector<api::Swarm>> ReadSwarms(const std::vector<std::string>& files, std::istream& in,
                                           std::ostream& err);

// Decodes every document of every file first; any error (named
// file:line:col) is printed after "error: " and nothing is sent. Then PUTs
// each Swarm in order and prints "swarm/<name> created|configured|unchanged"
// (with " (server dry run)" when the server only said what it would do).
// Returns kExitOk; kExitError for an unreadable or invalid file, an empty
// input, or a failed request (documents before it stay applied); kExitUsage
// when no file is given.
int RunApply(const ApplyArgs& args, ApiTransport& api, std::istream& in, std::ostream& out,
             std::ostream& err);

}  // namespace swarm::ctl

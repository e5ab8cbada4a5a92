#pragma once

// `swarmctl apply -f FILE...` (FILE "-" is stdin).

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "swarmctl/api_client.h"

namespace swarm::ctl {

struct ApplyArgs {
  std::vector<std::string> files;  // "-" reads `in`
};

// Decodes every document of every file first; any error (named
// file:line:col) is printed after "error: " and nothing is sent. Then PUTs
// each Swarm in order and prints "swarm/<name> created|configured|unchanged".
// Returns kExitOk; kExitError for an unreadable or invalid file, an empty
// input, or a failed request (documents before it stay applied); kExitUsage
// when no file is given.
int RunApply(const ApplyArgs& args, ApiTransport& api, std::istream& in, std::ostream& out,
             std::ostream& err);

}  // namespace swarm::ctl

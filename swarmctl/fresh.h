#pragma once

// `swarmctl fresh`: ask the controller for a fresh start (re-sync every
// member, discard and rediscover the queue, clear every grounding).

#include <ostream>

#include "swarmctl/api_client.h"

namespace swarm::ctl {

// POSTs "{}" to /api/v1/swarm/fresh and prints what the reply says was set
// in motion:
//   fresh start requested at <requestedAt>:
//     re-sync the portage tree on <n> members: <a>, <b>
//     discard the queue (<queuedPackages> packages) and discover it again
//     clear every grounding
//   watch it with: swarmctl status
// Returns kExitOk, or kExitError after one "error: " line on `err` when the
// request fails or the reply has no requestedAt.
int RunFresh(ApiTransport& api, std::ostream& out, std::ostream& err);

}  // namespace swarm::ctl

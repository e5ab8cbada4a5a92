#pragma once

// GET /binhost/<path>: the binhost served read-only and without a token
// (docs/api.md), for drones' PORTAGE_BINHOST.

namespace httplib {
class Server;
}

namespace swarm::controller {

class Binhost;

// Registers GET (and so HEAD) /binhost and /binhost/<path> on `server`:
// a file Binhost::ResolveForServing allows is streamed from disk as
// application/octet-stream (Range requests work); anything else, including
// /binhost/ and /binhost/Packages while no Packages file exists, is 404 with
// a text/plain reason. `binhost` is not owned and must outlive `server`.
void MountBinhost(httplib::Server& server, Binhost& binhost);

}  // namespace swarm::controller

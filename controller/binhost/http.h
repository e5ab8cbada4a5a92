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
// Releases (docs/operations.md, "Releases"): /binhost/releases/<name>/<path>
// serves a release's files and index; /binhost/current/<path> the promoted
// release's, its Packages with the TIMESTAMP of the promotion and a URI
// header naming the release's own address (http or https, by `tls`, and the
// request's Host); 404 while none is promoted.
void MountBinhost(httplib::Server& server, Binhost& binhost, bool tls = false);

}  // namespace swarm::controller

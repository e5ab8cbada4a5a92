#pragma once

// The web dashboard (docs/operations.md, "Dashboard"): static files the
// controller serves at `/` without a token (they hold no data); the page
// reads the swarm from the API with the token a person gives it, and stays
// live on the API's watches.

#include <httplib.h>

#include <functional>
#include <string>

namespace swarm::controller::dashboard {

// Registers GET `/` (the page) and one GET route per static file through
// `get` (the API server's, so the requests are counted like the others).
void Mount(const std::function<void(const std::string&, httplib::Server::Handler)>& get);

}  // namespace swarm::controller::dashboard

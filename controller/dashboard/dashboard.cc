#include "controller/dashboard/dashboard.h"

#include "controller/dashboard/files.h"

namespace swarm::controller::dashboard {
namespace {

// The page runs only its own script and talks only to its own origin; no
// frame may hold it (a token would be typed into it).
constexpr char kPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

httplib::Server::Handler Serve(const StaticFile& f) {
  return [&f](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Security-Policy", kPolicy);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    // A new controller brings a new page: revalidated, never stale.
    res.set_header("Cache-Control", "no-cache");
    res.set_content(reinterpret_cast<const char*>(f.data), f.size, f.content_type);
  };
}

}  // namespace

void Mount(const std::function<void(const std::string&, httplib::Server::Handler)>& get) {
  for (const StaticFile& f : Files()) {
    get(f.path, Serve(f));
    if (std::string(f.path) == "/index.html") get("/", Serve(f));
  }
}

}  // namespace swarm::controller::dashboard

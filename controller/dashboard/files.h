#pragma once

// The dashboard's static files (static/), compiled into the controller by
// embed.cmake: nothing is read from disk or fetched at run time.

#include <cstddef>
#include <span>

namespace swarm::controller::dashboard {

struct StaticFile {
  const char* path;  // "/index.html", "/dashboard.js", ...
  const unsigned char* data;
  size_t size;
  const char* content_type;
};

// Every file, in a fixed order.
std::span<const StaticFile> Files();

}  // namespace swarm::controller::dashboard

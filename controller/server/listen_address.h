#pragma once

// The --listen flag's HOST:PORT form ("127.0.0.1:7800", "[::1]:0", ":7800").

#include <string>

#include "base/status.h"

namespace swarm::controller {

struct ListenAddress {
  std::string host;  // without brackets; "0.0.0.0" when the flag left it empty
  int port = 0;      // 0 means "pick a free port"
  // The host as it goes into a URL (IPv6 in brackets).
  std::string UrlHost() const;
};

// True for an address only this machine can reach: 127.0.0.0/8, ::1, localhost.
bool IsLoopbackHost(const std::string& host);

// InvalidArgument naming what is wrong (missing port, port out of range).
Result<ListenAddress> ParseListenAddress(const std::string& text);

}  // namespace swarm::controller

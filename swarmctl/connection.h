#pragma once

// Where the controller is and how to authenticate: global flags first, then
// the environment, then the default server.

#include <functional>
#include <optional>
#include <string>

#include "base/status.h"

namespace swarm::ctl {

inline constexpr char kDefaultServer[] = "http://127.0.0.1:7800";
inline constexpr char kServerEnv[] = "SWARMCTL_SERVER";
inline constexpr char kTokenEnv[] = "SWARMCTL_TOKEN";

// The global flags as given; empty means not given.
struct ConnectionFlags {
  std::string server;
  std::string token;
  std::string token_file;
};

struct Connection {
  std::string server;
  std::string token;  // empty: send no Authorization header
};

// Reads an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// server: --server, else $SWARMCTL_SERVER, else kDefaultServer.
// token: --token, else the first line of --token-file, else $SWARMCTL_TOKEN.
// Giving both --token and --token-file is InvalidArgument; a token file that
// cannot be read, or whose first line is empty, is InvalidArgument naming it.
Result<Connection> ResolveConnection(const ConnectionFlags& flags, const EnvLookup& env);

// The process environment, for main.
std::optional<std::string> ProcessEnv(const char* name);

}  // namespace swarm::ctl

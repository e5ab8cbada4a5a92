#pragma once

// Where the controller is and how to authenticate: global flags first, then
// the environment, then the config file ($SWARMCTL_CONFIG, else
// ~/.config/build-swarm/config.yaml), then the default server.

#include <functional>
#include <optional>
#include <string>

#include "base/http_client.h"
#include "base/status.h"

namespace swarm::ctl {

inline constexpr char kDefaultServer[] = "http://127.0.0.1:7800";
inline constexpr char kServerEnv[] = "SWARMCTL_SERVER";
inline constexpr char kTokenEnv[] = "SWARMCTL_TOKEN";
inline constexpr char kConfigEnv[] = "SWARMCTL_CONFIG";
// Under $HOME when $SWARMCTL_CONFIG is not set.
inline constexpr char kDefaultConfigPath[] = ".config/build-swarm/config.yaml";

// The global flags as given; empty means not given.
struct ConnectionFlags {
  std::string server;
  std::string token;
  std::string token_file;
  std::string certificate_authority;
  std::string client_certificate;
  std::string client_key;
};

struct Connection {
  std::string server;
  std::string token;  // empty: send no Authorization header
  TlsClientFiles tls;
};

// Reads an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// server: --server, else $SWARMCTL_SERVER, else the config's server, else
// kDefaultServer. token: --token, else the first line of --token-file, else
// $SWARMCTL_TOKEN, else the config's tokenFile. TLS files: each flag, else
// the config's certificateAuthority, clientCertificate, clientKey.
// The config file is YAML with only those four keys and server, relative
// paths taken from its directory; a missing default file is no config, a
// missing $SWARMCTL_CONFIG is an error. InvalidArgument naming the file (and
// line) for a bad config, both --token and --token-file, or a token file
// that cannot be read or whose first line is empty.
Result<Connection> ResolveConnection(const ConnectionFlags& flags, const EnvLookup& env);

// The text to print once, before anything else, when `c` would send a token
// in clear text over a network; "" when it would not.
std::string ClearTextWarning(const Connection& c);

// The process environment, for main.
std::optional<std::string> ProcessEnv(const char* name);

}  // namespace swarm::ctl

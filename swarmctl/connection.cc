#include "swarmctl/connection.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "base/strings.h"

namespace swarm::ctl {
namespace {

Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return InvalidArgument("cannot read token file " + path + ": " + std::strerror(errno));
  std::string line;
  std::getline(in, line);
  line = Trim(line);
  if (line.empty())
    return InvalidArgument("token file " + path + " has no token on its first line");
  return line;
}

}  // namespace

Result<Connection> ResolveConnection(const ConnectionFlags& flags, const EnvLookup& env) {
  Connection c;
  if (!flags.server.empty()) {
    c.server = flags.server;
  } else if (auto s = env(kServerEnv); s && !s->empty()) {
    c.server = *s;
  } else {
    c.server = kDefaultServer;
  }
  if (!flags.token.empty() && !flags.token_file.empty()) {
    return InvalidArgument("--token and --token-file are mutually exclusive");
  }
  if (!flags.token.empty()) {
    c.token = flags.token;
  } else if (!flags.token_file.empty()) {
    auto t = ReadTokenFile(flags.token_file);
    if (!t.ok()) return t.status();
    c.token = *t;
  } else if (auto t = env(kTokenEnv)) {
    c.token = Trim(*t);
  }
  return c;
}

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

}  // namespace swarm::ctl

#include "swarmctl/connection.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "api/yaml_fields.h"
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

// The config file's settings; paths already resolved from its directory.
struct ConfigFile {
  std::string server;
  std::string token_file;
  TlsClientFiles tls;
};

Result<ConfigFile> ReadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return InvalidArgument("cannot read config file " + path + ": " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  auto docs = api::LoadYamlDocuments(text.str(), path);
  if (!docs.ok()) return docs.status();
  api::YamlDiagnostics diag(path);
  YAML::Node root = docs->empty() ? YAML::Node() : docs->front();
  api::YamlMap top(diag, root, "",
                   {"server", "tokenFile", "certificateAuthority", "clientCertificate",
                    "clientKey"});
  ConfigFile c;
  top.ReadString("server", c.server);
  const std::filesystem::path dir = std::filesystem::absolute(path).parent_path();
  for (const auto& [key, out] :
       {std::pair<const char*, std::string*>{"tokenFile", &c.token_file},
        {"certificateAuthority", &c.tls.ca_file},
        {"clientCertificate", &c.tls.cert_file},
        {"clientKey", &c.tls.key_file}}) {
    if (top.ReadString(key, *out) && !out->empty() && (*out)[0] != '/') {
      *out = (dir / *out).lexically_normal().string();
    }
  }
  if (!diag.ok()) return diag.ToStatus();
  return c;
}

// The config file to read: $SWARMCTL_CONFIG, else the default under $HOME
// when it exists; nullopt for none.
std::optional<std::string> ConfigPath(const EnvLookup& env) {
  if (auto p = env(kConfigEnv); p && !p->empty()) return *p;
  auto home = env("HOME");
  if (!home || home->empty()) return std::nullopt;
  std::string path = *home + "/" + kDefaultConfigPath;
  if (!std::filesystem::exists(path)) return std::nullopt;
  return path;
}

bool IsLoopbackUrl(const std::string& url) {
  static const std::regex kLoopback(R"(^https?://(127\.[0-9.]+|localhost|\[::1\])(:[0-9]+)?/?$)");
  return std::regex_match(url, kLoopback);
}

}  // namespace

std::string ClearTextWarning(const Connection& c) {
  if (c.token.empty() || c.server.rfind("http://", 0) != 0 || IsLoopbackUrl(c.server)) return "";
  return "Warning: the token goes to " + c.server +
         " in clear text; use an https:// server (docs/operations.md, Security)";
}

Result<Connection> ResolveConnection(const ConnectionFlags& flags, const EnvLookup& env) {
  ConfigFile config;
  if (auto path = ConfigPath(env)) {
    auto read = ReadConfigFile(*path);
    if (!read.ok()) return read.status();
    config = std::move(*read);
  }
  Connection c;
  if (!flags.server.empty()) {
    c.server = flags.server;
  } else if (auto s = env(kServerEnv); s && !s->empty()) {
    c.server = *s;
  } else if (!config.server.empty()) {
    c.server = config.server;
  } else {
    c.server = kDefaultServer;
  }
  c.tls.ca_file = !flags.certificate_authority.empty() ? flags.certificate_authority
                                                        : config.tls.ca_file;
  c.tls.cert_file =
      !flags.client_certificate.empty() ? flags.client_certificate : config.tls.cert_file;
  c.tls.key_file = !flags.client_key.empty() ? flags.client_key : config.tls.key_file;
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
  } else if (!config.token_file.empty()) {
    auto t = ReadTokenFile(config.token_file);
    if (!t.ok()) return t.status();
    c.token = *t;
  }
  return c;
}

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

}  // namespace swarm::ctl

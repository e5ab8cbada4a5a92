#pragma once

// agent.yaml: who the drone is, where its controller is, and the paths and
// hooks of its Gentoo host. Decoded strictly (unknown keys, wrong types and
// missing required keys stop the agent before it starts, each error with its
// file:line:column); defaults fit a stock Gentoo host.

#include <string>
#include <string_view>

#include "base/http_client.h"
#include "base/status.h"
#include "node-agent/probes.h"

namespace swarm::agent {

// Process exit codes of swarm-agent.
inline constexpr int kExitOk = 0;            // stopped by SIGTERM or SIGINT
inline constexpr int kExitRuntimeError = 1;  // could not start after the config was read
inline constexpr int kExitConfigError = 2;   // bad flags, config file or token file

struct PortageConfig {
  std::string repo_dir = "/var/db/repos/gentoo";
  std::string pkg_dir = "/var/cache/binpkgs";
  std::string tmp_dir = "/var/tmp/portage";
  std::string emerge = "/usr/bin/emerge";
  // Where discovery reads past build times (estimatedMs); "" reads none.
  std::string emerge_log = "/var/log/emerge.log";
};

// Shell commands (run with `sh -c`) with {revision}, {version} and {atom}
// placeholders; see ExpandHook. Empty means not configured.
struct HooksConfig {
  std::string sync;        // default: DefaultSyncHook(portage.repo_dir)
  std::string deploy;      // no default
  std::string self_check;  // default: DefaultSelfCheckHook(portage.emerge)
};

struct AgentConfig {
  std::string name;        // the drone's roster name (DNS-1123 label)
  std::string controller;  // https://HOST:PORT (or http:// on a trusted network)
  std::string token_file;  // as resolved: relative to the config file's directory
  std::string token;       // first line of token_file, trimmed
  // tls: {caFile, certFile, keyFile}, resolved like tokenFile: the CA that
  // signed the controller's certificate (else the system's), and the drone's
  // client certificate (CN = name) when the controller asks for one.
  TlsClientFiles tls;
  std::string state_dir = "/var/lib/build-swarm";
  std::string proc_root = "/proc";
  PortageConfig portage;
  HooksConfig hooks;
};

// Decodes agent.yaml `text` (named `source` in errors), applies defaults and
// reads the token file; a relative tokenFile is taken from `base_dir`.
// InvalidArgument listing every problem, one per line, each
// "<source>:<line>:<column>: <key>: <what was expected>": unknown keys, wrong
// types, missing name/controller/tokenFile, a name that is not a DNS-1123
// label, a controller that is not https://HOST:PORT or http://HOST:PORT (tls
// only with https), relative directories, a token file that is missing,
// unreadable, empty or open to every user, and TLS files that cannot be read.
Result<AgentConfig> ParseAgentConfig(std::string_view text, const std::string& source,
                                     const std::string& base_dir);

// Reads the file at `path` and ParseAgentConfig()s it from its directory.
// NotFound or Unavailable (naming the path) when it cannot be read.
Result<AgentConfig> LoadAgentConfig(const std::string& path);

// The bearer token: the first line of the file, trimmed. InvalidArgument naming
// the file when it is missing, unreadable or that line is empty.
Result<std::string> ReadTokenFile(const std::string& path);

// `git -C <repo> fetch --quiet origin &&
//  git -C <repo> switch --quiet --detach --end-of-options {revision}`.
std::string DefaultSyncHook(const std::string& repo_dir);
// `<emerge> --info`.
std::string DefaultSelfCheckHook(const std::string& emerge);

// Values for a hook's placeholders; a placeholder without a value becomes ''.
struct HookValues {
  std::string revision;
  std::string version;
  std::string atom;
};

// Replaces every {revision}, {version} and {atom} in `hook` with its value,
// quoted for sh when it holds anything but [A-Za-z0-9@%+=:,./_-] (an atom such
// as ">=dev-lang/rust-1.80" must not become a redirection). Other braces are
// left alone (the hook is shell: "${HOME}" stays).
std::string ExpandHook(std::string_view hook, const HookValues& values);

// `s` as one sh word: unchanged when it holds only safe characters, else in
// single quotes.
std::string ShellQuote(std::string_view s);

// The paths the probes read, from the config.
ProbePaths ProbePathsFor(const AgentConfig& c);

}  // namespace swarm::agent

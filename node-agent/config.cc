#include "node-agent/config.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "api/validation.h"
#include "api/yaml_fields.h"
#include "base/file_util.h"
#include "base/http_client.h"
#include "node-agent/file_util.h"

namespace swarm::agent {
namespace {

using api::YamlDiagnostics;
using api::YamlMap;

const std::vector<std::string> kTopKeys = {"name",     "controller", "tokenFile", "stateDir",
                                           "procRoot", "portage",    "hooks",
                                           "tls"};
const std::vector<std::string> kTlsKeys = {"caFile", "certFile", "keyFile"};
const std::vector<std::string> kPortageKeys = {"repoDir", "pkgDir", "tmpDir", "emerge",
                                               "emergeLog"};
const std::vector<std::string> kHookKeys = {"sync", "deploy", "selfCheck"};

bool IsShellSafe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("@%+=:,./_-").find(c) != std::string_view::npos;
}

// Reads an optional absolute directory; the default stays when absent.
void ReadDir(YamlDiagnostics& diag, YamlMap& map, const char* key, std::string& out) {
  std::string v;
  if (!map.ReadString(key, v)) return;
  if (v.empty() || v.front() != '/') {
    diag.AddAt(map.FieldPath(key), "expected an absolute path, got \"" + v + "\"");
    return;
  }
  out = v;
}

void Check(YamlDiagnostics& diag, const AgentConfig& c) {
  if (!c.name.empty() && !api::IsValidName(c.name)) {
    diag.AddAt("name",
               "expected a DNS-1123 label (lowercase letters, digits and '-', at most 63, "
               "starting and ending with a letter or digit), got \"" +
                   c.name + "\"");
  }
  if (!c.controller.empty() && !HttpClient::Create(c.controller, "").ok()) {
    diag.AddAt("controller", "expected a URL of the form https://HOST:PORT or http://HOST:PORT, got \"" +
                                 c.controller + "\"");
  }
  if (c.tls != TlsClientFiles{} && c.controller.rfind("https://", 0) != 0 &&
      !diag.HasErrorAtOrAbove("controller")) {
    diag.AddAt("tls", "TLS files are set, yet the controller URL \"" + c.controller +
                          "\" is not https://");
  }
  if (c.tls.cert_file.empty() != c.tls.key_file.empty()) {
    diag.AddAt("tls", "certFile and keyFile go together");
  }
}

// A path as the config names it: a relative one is taken from `base_dir`.
std::string Resolve(const std::string& path, const std::string& base_dir) {
  std::filesystem::path p(path);
  if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
  return p.lexically_normal().string();
}

}  // namespace

Result<AgentConfig> ParseAgentConfig(std::string_view text, const std::string& source,
                                     const std::string& base_dir) {
  auto docs = api::LoadYamlDocuments(text, source);
  if (!docs.ok()) return docs.status();
  YamlDiagnostics diag(source);
  YAML::Node root;
  if (!docs->empty()) root = docs->front();
  if (docs->size() > 1) {
    diag.Add(api::ToSourcePos((*docs)[1].Mark()), "",
             "expected one YAML document, found " + std::to_string(docs->size()));
  }
  // Missing keys are reported at the mapping that lacks them: the document.
  api::SourcePos root_pos = api::ToSourcePos(root.Mark());
  diag.Record("", root_pos.line > 0 ? root_pos : api::SourcePos{1, 1});

  AgentConfig c;
  YamlMap top(diag, root, "", kTopKeys);
  for (const auto& [key, out] : {std::pair<const char*, std::string*>{"name", &c.name},
                                 {"controller", &c.controller},
                                 {"tokenFile", &c.token_file}}) {
    top.ReadString(key, *out);
    if (out->empty() && !diag.HasErrorAtOrAbove(key) && top.is_map()) {
      diag.AddAt(key, top.Has(key) ? "expected a non-empty string" : "required");
    }
  }
  ReadDir(diag, top, "stateDir", c.state_dir);
  ReadDir(diag, top, "procRoot", c.proc_root);

  YamlMap portage = top.ReadMap("portage", kPortageKeys);
  ReadDir(diag, portage, "repoDir", c.portage.repo_dir);
  ReadDir(diag, portage, "pkgDir", c.portage.pkg_dir);
  ReadDir(diag, portage, "tmpDir", c.portage.tmp_dir);
  if (portage.ReadString("emerge", c.portage.emerge) && c.portage.emerge.empty()) {
    diag.AddAt("portage.emerge", "expected the emerge program, got \"\"");
  }
  portage.ReadString("emergeLog", c.portage.emerge_log);

  // Absent hooks get defaults built from the paths above; an explicit ""
  // switches a hook off.
  c.hooks.sync = DefaultSyncHook(c.portage.repo_dir);
  c.hooks.self_check = DefaultSelfCheckHook(c.portage.emerge);
  YamlMap hooks = top.ReadMap("hooks", kHookKeys);
  hooks.ReadString("sync", c.hooks.sync);
  hooks.ReadString("deploy", c.hooks.deploy);
  hooks.ReadString("selfCheck", c.hooks.self_check);

  YamlMap tls = top.ReadMap("tls", kTlsKeys);
  for (const auto& [key, out] : {std::pair<const char*, std::string*>{"caFile", &c.tls.ca_file},
                                 {"certFile", &c.tls.cert_file},
                                 {"keyFile", &c.tls.key_file}}) {
    if (!tls.ReadString(key, *out)) continue;
    const std::string field = std::string("tls.") + key;
    if (out->empty()) {
      diag.AddAt(field, "expected a file, got \"\"");
      continue;
    }
    *out = Resolve(*out, base_dir);
    if (access(out->c_str(), R_OK) != 0) {
      diag.AddAt(field, "cannot read " + *out + ": " + std::strerror(errno));
    } else if (out == &c.tls.key_file) {
      if (Status st = CheckSecretFileMode(*out, "key file"); !st.ok()) {
        diag.AddAt(field, st.message());
      }
    }
  }

  Check(diag, c);
  if (!c.token_file.empty() && !diag.HasErrorAtOrAbove("tokenFile")) {
    c.token_file = Resolve(c.token_file, base_dir);
    auto token = ReadTokenFile(c.token_file);
    if (token.ok()) {
      c.token = *token;
    } else {
      diag.AddAt("tokenFile", token.status().message());
    }
  }
  if (!diag.ok()) return diag.ToStatus();
  return c;
}

Result<AgentConfig> LoadAgentConfig(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  // Absolute, so that error messages and logs name the token file unambiguously.
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(path, ec).parent_path();
  return ParseAgentConfig(*text, path, ec ? "." : dir.string());
}

Result<std::string> ReadTokenFile(const std::string& path) {
  if (Status st = CheckSecretFileMode(path, "token file");
      st.code() == StatusCode::kInvalidArgument) {
    return st;
  }
  auto text = ReadWholeFile(path);
  if (!text.ok()) {
    return InvalidArgument("cannot read the token file: " + text.status().message());
  }
  std::string first = Trim(std::string_view(*text).substr(0, text->find('\n')));
  if (first.empty()) {
    return InvalidArgument("token file " + path +
                           " is empty: expected the bearer token on its first line");
  }
  return first;
}

std::string DefaultSyncHook(const std::string& repo_dir) {
  const std::string git = "git -C " + ShellQuote(repo_dir);
  // --end-of-options: a revision git could take for an option ("--force"
  // would throw away local changes) is read as a name and refused. git
  // switch takes it; the git checkout of Debian 12 (git 2.39) does not.
  return git + " fetch --quiet origin && " + git +
         " switch --quiet --detach --end-of-options {revision}";
}

std::string DefaultSelfCheckHook(const std::string& emerge) {
  return ShellQuote(emerge) + " --info";
}

std::string ShellQuote(std::string_view s) {
  bool safe = !s.empty();
  for (char c : s) safe = safe && IsShellSafe(c);
  if (safe) return std::string(s);
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";  // close, an escaped quote, reopen
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ExpandHook(std::string_view hook, const HookValues& values) {
  const std::pair<std::string_view, const std::string*> kPlaceholders[] = {
      {"{revision}", &values.revision}, {"{version}", &values.version}, {"{atom}", &values.atom}};
  std::string out;
  size_t i = 0;
  while (i < hook.size()) {
    bool replaced = false;
    if (hook[i] == '{') {
      for (const auto& [placeholder, value] : kPlaceholders) {
        if (hook.substr(i, placeholder.size()) == placeholder) {
          out += ShellQuote(*value);
          i += placeholder.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += hook[i++];
  }
  return out;
}

ProbePaths ProbePathsFor(const AgentConfig& c) {
  ProbePaths p;
  p.proc_root = c.proc_root;
  p.state_dir = c.state_dir;
  p.repo_dir = c.portage.repo_dir;
  p.disk_dirs = {c.portage.pkg_dir, c.portage.tmp_dir};
  return p;
}

}  // namespace swarm::agent

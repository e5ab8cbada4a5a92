#include "controller/server/auth.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "base/file_util.h"
#include "base/sha256.h"
#include "base/strings.h"

namespace swarm::controller {
namespace {

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(Trim(field));
  if (!line.empty() && line.back() == ',') fields.push_back("");
  return fields;
}

// Compares in time independent of where the first difference is, so response
// timing does not reveal how much of a guessed token was right.
bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

Result<TokenAuthenticator> TokenAuthenticator::Parse(const std::string& text,
                                                     const std::string& source) {
  TokenAuthenticator auth;
  std::istringstream in(text);
  std::string raw;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    std::string line = Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = source + ":" + std::to_string(line_no) + ": ";
    std::vector<std::string> f = SplitCsv(line);
    if (f.size() != 3) {
      return InvalidArgument(where + "expected 3 comma-separated fields token,name,role, got " +
                             std::to_string(f.size()));
    }
    if (f[0].empty() || f[1].empty() || f[2].empty()) {
      return InvalidArgument(where + "token, name and role must all be non-empty");
    }
    Identity id;
    id.name = f[1];
    if (f[2] == "admin") {
      id.role = Role::kAdmin;
    } else if (f[2] == "agent") {
      id.role = Role::kAgent;
    } else if (f[2] == "viewer") {
      id.role = Role::kViewer;
    } else {
      return InvalidArgument(where + "role \"" + f[2] + "\" is not admin, agent or viewer");
    }
    if (!auth.by_digest_.emplace(Sha256Hex(f[0]), Known{f[0], id}).second) {
      return InvalidArgument(where + "token repeats an earlier line");
    }
  }
  if (auth.by_digest_.empty()) {
    return InvalidArgument(source + ": no tokens (expected lines token,name,role)");
  }
  return auth;
}

Result<TokenAuthenticator> TokenAuthenticator::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable("cannot read token file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

Result<Identity> TokenAuthenticator::Authenticate(const std::string& authorization) const {
  static const std::string kBearer = "Bearer ";
  if (authorization.empty()) return Unauthenticated("no Authorization header");
  if (authorization.compare(0, kBearer.size(), kBearer) != 0) {
    return Unauthenticated("Authorization header is not \"Bearer <token>\"");
  }
  const std::string token = Trim(authorization.substr(kBearer.size()));
  auto it = by_digest_.find(Sha256Hex(token));
  if (it != by_digest_.end() && ConstantTimeEquals(it->second.token, token)) {
    return it->second.identity;
  }
  return Unauthenticated("unknown token");
}

Result<std::unique_ptr<TokenFile>> TokenFile::Load(std::string path) {
  std::unique_ptr<TokenFile> file(new TokenFile(std::move(path)));
  if (Status st = file->Reload(); !st.ok()) return st;
  return file;
}

Status TokenFile::Reload() {
  if (Status st = CheckSecretFileMode(path_, "token file"); !st.ok()) return st;
  auto parsed = TokenAuthenticator::LoadFile(path_);
  if (!parsed.ok()) return parsed.status();
  auto next = std::make_shared<const TokenAuthenticator>(std::move(*parsed));
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(next);
  return Status::Ok();
}

std::shared_ptr<const TokenAuthenticator> TokenFile::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

AuthFailures::Verdict AuthFailures::Fail(const std::string& peer) {
  const SteadyTime now = clock_->SteadyNow();
  std::lock_guard<std::mutex> lock(mu_);
  ++total_;
  if (peers_.size() >= kMaxPeers && !peers_.count(peer)) {
    std::erase_if(peers_, [&](const auto& kv) { return now - kv.second.last > kForgetAfter; });
    // Failures from more addresses than that at once: each address is then
    // slowed from its own first failure again.
    if (peers_.size() >= kMaxPeers) peers_.clear();
  }
  Peer& p = peers_[peer];
  if (p.failures > 0 && now - p.last > kForgetAfter) p.failures = 0;
  ++p.failures;
  p.last = now;
  Verdict v;
  v.failures = p.failures;
  if (p.failures > kFreeFailures) {
    const uint64_t doublings = std::min<uint64_t>(p.failures - kFreeFailures - 1, 16);
    v.delay = std::min(kMaxDelay, kFirstDelay * (int64_t{1} << doublings));
  }
  return v;
}

uint64_t AuthFailures::total() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_;
}

namespace {

const char* RoleName(Role r) {
  switch (r) {
    case Role::kAdmin:
      return "an admin";
    case Role::kAgent:
      return "an agent";
    case Role::kViewer:
      return "a viewer";
  }
  return "unknown";
}

}  // namespace

Status AuthorizeAdmin(const Identity& who) {
  if (who.role == Role::kAdmin) return Status::Ok();
  return PermissionDenied("\"" + who.name + "\" is " + RoleName(who.role) +
                          "; this call needs an admin token");
}

Status AuthorizeRead(const Identity& who) {
  if (who.role == Role::kAdmin || who.role == Role::kViewer) return Status::Ok();
  return PermissionDenied("\"" + who.name + "\" is " + RoleName(who.role) +
                          "; this call needs an admin or viewer token");
}

Status AuthorizeDrone(const Identity& who, const std::string& drone) {
  if (who.role == Role::kAdmin || (who.role == Role::kAgent && who.name == drone)) {
    return Status::Ok();
  }
  if (who.role == Role::kViewer) {
    return PermissionDenied("\"" + who.name +
                            "\" is a viewer: it reads, it cannot act as drone \"" + drone + "\"");
  }
  return PermissionDenied("token of drone \"" + who.name + "\" cannot act as drone \"" + drone +
                          "\"");
}

}  // namespace swarm::controller

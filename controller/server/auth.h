#pragma once

// Static token authentication (Kubernetes' --token-auth-file) and the few
// authorization rules of the API: admins may do everything, an agent only acts
// as the drone its token names.

#include <map>
#include <unordered_map>
#include <string>

#include "base/status.h"

namespace swarm::controller {

enum class Role { kAdmin, kAgent };

struct Identity {
  std::string name;
  Role role = Role::kAgent;
};

// Thread safety: immutable after construction; safe to share across threads.
class TokenAuthenticator {
 public:
  // Parses CSV lines "token,name,role" (role admin|agent). Blank lines and
  // lines starting with '#' are skipped. InvalidArgument names the source and
  // line of the first bad line (wrong field count, empty field, unknown role,
  // duplicate token).
  static Result<TokenAuthenticator> Parse(const std::string& text, const std::string& source);
  // Reads and parses a file; Unavailable when it cannot be read.
  static Result<TokenAuthenticator> LoadFile(const std::string& path);

  // `authorization` is the raw Authorization header. Unauthenticated when it
  // is missing, not "Bearer <token>", or the token is unknown.
  Result<Identity> Authenticate(const std::string& authorization) const;

  size_t size() const { return by_digest_.size(); }

 private:
  struct Known {
    std::string token;
    Identity identity;
  };
  // Keyed by the token's SHA-256: one lookup per request whatever the roster,
  // and its timing tells nothing of the token (a digest, not a prefix, is
  // compared); the token itself is then compared in constant time.
  std::unordered_map<std::string, Known> by_digest_;
};

// Ok when `who` may call an admin endpoint (apply, get, list); PermissionDenied otherwise.
Status AuthorizeAdmin(const Identity& who);
// Ok when `who` may report as drone `drone`: an admin, or the agent of that name.
Status AuthorizeDrone(const Identity& who, const std::string& drone);

}  // namespace swarm::controller

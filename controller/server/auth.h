#pragma once

// Static token authentication (Kubernetes' --token-auth-file) and the few
// authorization rules of the API: admins may do everything, an agent only acts
// as the drone its token names, a viewer (a dashboard, a Prometheus server)
// only reads.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/clock.h"
#include "base/status.h"

namespace swarm::controller {

enum class Role { kAdmin, kAgent, kViewer };

struct Identity {
  std::string name;
  Role role = Role::kAgent;
};

// Thread safety: immutable after construction; safe to share across threads.
class TokenAuthenticator {
 public:
  // Parses CSV lines "token,name,role" (role admin|agent|viewer). Blank lines and
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

// The --token-auth-file, re-read by Reload() (SIGHUP): a revoked token stops
// working without a restart. Thread safety: all methods from any thread.
class TokenFile {
 public:
  // Reads and parses `path`. InvalidArgument when every user may read it
  // (CheckSecretFileMode) or a line is bad; Unavailable when it cannot be read.
  static Result<std::unique_ptr<TokenFile>> Load(std::string path);
  // Reads the file again; on any error the tokens in use stay and the error
  // says why.
  Status Reload();
  // The tokens in use; a request keeps the set it started with.
  std::shared_ptr<const TokenAuthenticator> Current() const;
  const std::string& path() const { return path_; }

 private:
  explicit TokenFile(std::string path) : path_(std::move(path)) {}
  const std::string path_;
  mutable std::mutex mu_;
  std::shared_ptr<const TokenAuthenticator> current_;  // guarded by mu_
};

// Failed authentications by peer address, and how long to hold the answer to
// the next: a peer that keeps failing is slowed down, one that stops is
// forgotten. Thread safety: all methods from any thread.
class AuthFailures {
 public:
  static constexpr int kFreeFailures = 3;  // answered at once
  static constexpr std::chrono::milliseconds kFirstDelay{250};
  static constexpr std::chrono::milliseconds kMaxDelay{8000};
  static constexpr std::chrono::minutes kForgetAfter{10};
  static constexpr size_t kMaxPeers = 4096;

  explicit AuthFailures(const Clock* clock) : clock_(clock) {}

  struct Verdict {
    uint64_t failures = 0;  // from this peer, without a pause of kForgetAfter
    std::chrono::milliseconds delay{0};
  };
  // Records a failure from `peer`: no delay for the first kFreeFailures, then
  // kFirstDelay doubling per failure up to kMaxDelay.
  Verdict Fail(const std::string& peer);
  uint64_t total() const;

 private:
  struct Peer {
    uint64_t failures = 0;
    SteadyTime last{};
  };
  const Clock* const clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Peer> peers_;  // guarded by mu_
  uint64_t total_ = 0;                           // guarded by mu_
};

// Ok when `who` may call an admin endpoint (apply, get, list); PermissionDenied otherwise.
Status AuthorizeAdmin(const Identity& who);
// Ok when `who` may read (get, list, logs, /metrics): an admin or a viewer.
Status AuthorizeRead(const Identity& who);
// Ok when `who` may report as drone `drone`: an admin, or the agent of that
// name (a viewer of that name is not).
Status AuthorizeDrone(const Identity& who, const std::string& drone);

}  // namespace swarm::controller

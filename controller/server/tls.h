#pragma once

// The controller's TLS identity: its certificate and key, and the authority
// that signs client certificates (mTLS), read from PEM files and re-read on
// Reload() (SIGHUP) without dropping a connection.

#include <openssl/ssl.h>

#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"

namespace swarm::controller {

struct TlsFiles {
  std::string cert_file;       // --tls-cert-file: the server's chain, leaf first
  std::string key_file;        // --tls-private-key-file
  std::string client_ca_file;  // --client-ca-file; empty: no client certificates
};

// Thread safety: all methods may be called from any thread.
class ServerTls {
 public:
  // Reads the files. InvalidArgument naming the file and OpenSSL's reason
  // when one cannot be read or parsed, or the key does not match the
  // certificate.
  static Result<std::unique_ptr<ServerTls>> Load(const TlsFiles& files);

  // Reads the files again; new connections use them, open ones keep theirs.
  // On error the ones in use stay, and the error says why.
  Status Reload();

  // A new server-side SSL for one connection; null only when OpenSSL is out
  // of memory.
  SSL* NewConnection() const;

  // With a client CA, a client certificate is asked for: one that does not
  // chain to it fails the handshake; none at all is allowed at the TLS layer
  // (the binhost is public) and refused by the API routes.
  bool verifies_clients() const { return !files_.client_ca_file.empty(); }

 private:
  explicit ServerTls(TlsFiles files) : files_(std::move(files)) {}

  const TlsFiles files_;
  mutable std::mutex mu_;
  std::shared_ptr<SSL_CTX> ctx_;  // guarded by mu_
};

// The common name of the client certificate `ssl`'s peer presented and the
// handshake verified; "" when there is none.
std::string VerifiedPeerCommonName(const SSL* ssl);

}  // namespace swarm::controller

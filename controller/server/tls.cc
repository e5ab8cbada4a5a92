#include "controller/server/tls.h"

#include <openssl/err.h>
#include <openssl/x509.h>

namespace swarm::controller {
namespace {

// OpenSSL's queued errors, oldest first, and the queue cleared.
std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

Result<std::shared_ptr<SSL_CTX>> MakeContext(const TlsFiles& f) {
  ERR_clear_error();
  std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!ctx) return Internal("cannot make a TLS context: " + OpenSslErrors());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  // Connections are non-blocking: a write may be retried with the rest of a
  // buffer that has since moved.
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE |
                                  SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                  SSL_MODE_AUTO_RETRY);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), f.cert_file.c_str()) != 1) {
    return InvalidArgument("TLS certificate \"" + f.cert_file + "\": " + OpenSslErrors());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), f.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return InvalidArgument("TLS private key \"" + f.key_file + "\": " + OpenSslErrors());
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1) {
    return InvalidArgument("TLS private key \"" + f.key_file + "\" does not match certificate \"" +
                           f.cert_file + "\"");
  }
  if (!f.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx.get(), f.client_ca_file.c_str(), nullptr) != 1) {
      return InvalidArgument("client CA \"" + f.client_ca_file + "\": " + OpenSslErrors());
    }
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(f.client_ca_file.c_str());
    if (names == nullptr) {
      return InvalidArgument("client CA \"" + f.client_ca_file +
                             "\" holds no certificate: " + OpenSslErrors());
    }
    SSL_CTX_set_client_CA_list(ctx.get(), names);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, nullptr);
    // Without a session id context OpenSSL refuses to resume a session it
    // verified a client in, and a client that resumes (a browser, for each
    // connection after its first) fails its handshake. A resumed session
    // keeps the client certificate it was made with.
    static constexpr unsigned char kSessionContext[] = "build-swarm";
    SSL_CTX_set_session_id_context(ctx.get(), kSessionContext, sizeof kSessionContext - 1);
  }
  return ctx;
}

}  // namespace

Result<std::unique_ptr<ServerTls>> ServerTls::Load(const TlsFiles& files) {
  std::unique_ptr<ServerTls> tls(new ServerTls(files));
  if (Status st = tls->Reload(); !st.ok()) return st;
  return tls;
}

Status ServerTls::Reload() {
  auto ctx = MakeContext(files_);
  if (!ctx.ok()) return ctx.status();
  std::lock_guard<std::mutex> lock(mu_);
  ctx_ = std::move(*ctx);
  return Status::Ok();
}

SSL* ServerTls::NewConnection() const {
  std::shared_ptr<SSL_CTX> ctx;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ctx = ctx_;
  }
  // The SSL holds its own reference to the context: a reload frees the old
  // one only when its last connection ends.
  return SSL_new(ctx.get());
}

std::string VerifiedPeerCommonName(const SSL* ssl) {
  if (ssl == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return "";
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return "";
  std::string cn;
  X509_NAME* subject = X509_get_subject_name(cert);
  int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (i >= 0) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n > 0) cn.assign(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
    OPENSSL_free(utf8);
  }
  X509_free(cert);
  return cn;
}

}  // namespace swarm::controller

// swarm-controller: wiring only. Flags, store, controller, API server, signals.

#include <malloc.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "api/quantity.h"
#include "base/clock.h"
#include "base/file_util.h"
#include "controller/binhost/binhost.h"
#include "controller/core/swarm_controller.h"
#include "controller/server/apiserver.h"
#include "controller/server/auth.h"
#include "controller/server/http_server.h"
#include "controller/server/listen_address.h"
#include "controller/server/tls.h"
#include "controller/store/store.h"

namespace {

// Written atomically, so a reader never sees half an address.
bool WriteAddressFile(const std::string& path, const std::string& url) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << url << "\n";
    if (!out.flush()) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}

}  // namespace

int main(int argc, char** argv) {
  // Each thread that allocates would get a malloc arena of its own and keep
  // what a large pass freed there (the API's workers, the reconcilers): two
  // arenas keep a 100,000-package queue's transients from multiplying RSS.
  // A fixed mmap threshold sends every large block (a pass's vectors and
  // hash tables over the queue) to mmap, which gives it back when freed;
  // glibc's moving threshold would keep them in the heap after the first.
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_MMAP_THRESHOLD, 256 << 10);
  CLI::App app{"build-swarm controller: reconciles the swarm to its spec"};
  std::string listen = "127.0.0.1:7800";
  std::string state_file;
  std::string token_file;
  std::string address_file;
  std::string log_level = "info";
  std::string binhost_dir;
  std::string build_log_dir;
  std::string binhost_check = "1m";
  int binhost_full_every = 60;
  swarm::controller::TlsFiles tls_files;
  bool insecure_plain_http = false;
  swarm::controller::ConnectionLimits limits;
  std::string header_timeout = "10s";
  std::string metrics_listen;
  app.add_option("--listen", listen, "HOST:PORT to serve the API on (port 0 picks a free one)")
      ->capture_default_str();
  app.add_option("--state", state_file, "SQLite state file (created when missing)")->required();
  app.add_option("--token-auth-file", token_file, "CSV file of token,name,role lines")->required();
  app.add_option("--address-file", address_file,
                 "write the served URL here once listening (for scripts using port 0)");
  app.add_option("--binhost-dir", binhost_dir,
                 "where verified binary packages are published and served from GET /binhost/ "
                 "(default: binhost/ beside --state)");
  app.add_option("--build-log-dir", build_log_dir,
                 "where the last build log of each package is kept (default: build-logs/ beside "
                 "--state)");
  app.add_option("--binhost-check-interval", binhost_check,
                 "how often published binary packages are checked (size, digest)")
      ->capture_default_str();
  app.add_option("--binhost-full-check-every", binhost_full_every,
                 "every Nth binhost check re-hashes every published file (the others "
                 "compare sizes)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--tls-cert-file", tls_files.cert_file,
                 "PEM certificate (chain) to serve HTTPS with; re-read on SIGHUP");
  app.add_option("--tls-private-key-file", tls_files.key_file,
                 "PEM private key of --tls-cert-file; re-read on SIGHUP");
  app.add_option("--client-ca-file", tls_files.client_ca_file,
                 "PEM CA: every API call then needs a client certificate it signed, and an "
                 "agent's must name its drone (CN); re-read on SIGHUP");
  app.add_flag("--insecure-allow-plain-http", insecure_plain_http,
               "serve plain HTTP on an address other than loopback (tokens then travel in "
               "clear text)");
  app.add_option("--max-connections", limits.max_connections,
                 "connections served at once; more are refused")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-connections-per-peer", limits.max_connections_per_peer,
                 "connections served at once from one address; more are refused")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--request-header-timeout", header_timeout,
                 "time a connection has for each request's headers (and its TLS handshake)")
      ->capture_default_str();
  app.add_option("--metrics-listen", metrics_listen,
                 "also serve GET /metrics, without a token, on this loopback HOST:PORT "
                 "(plain HTTP; for a Prometheus on this machine)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.set_version_flag("--version", std::string("swarm-controller ") + SWARM_VERSION);
  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("controller");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));

  auto address = swarm::controller::ParseListenAddress(listen);
  if (!address.ok()) {
    std::cerr << "swarm-controller: --listen: " << address.status().message() << "\n";
    return 2;
  }
  auto tokens = swarm::controller::TokenFile::Load(token_file);
  if (!tokens.ok()) {
    std::cerr << "swarm-controller: --token-auth-file: " << tokens.status().message() << "\n";
    return 2;
  }
  if (tls_files.cert_file.empty() != tls_files.key_file.empty()) {
    std::cerr << "swarm-controller: --tls-cert-file and --tls-private-key-file go together\n";
    return 2;
  }
  const bool tls_on = !tls_files.cert_file.empty();
  if (!tls_on && !tls_files.client_ca_file.empty()) {
    std::cerr << "swarm-controller: --client-ca-file needs --tls-cert-file and "
                 "--tls-private-key-file\n";
    return 2;
  }
  std::unique_ptr<swarm::controller::ServerTls> tls;
  if (tls_on) {
    if (auto st = swarm::CheckSecretFileMode(tls_files.key_file, "TLS private key"); !st.ok()) {
      std::cerr << "swarm-controller: --tls-private-key-file: " << st.message() << "\n";
      return 2;
    }
    auto loaded = swarm::controller::ServerTls::Load(tls_files);
    if (!loaded.ok()) {
      std::cerr << "swarm-controller: " << loaded.status().message() << "\n";
      return 2;
    }
    tls = std::move(*loaded);
  }
  if (!tls_on && !swarm::controller::IsLoopbackHost(address->host) && !insecure_plain_http) {
    std::cerr << "swarm-controller: --listen " << listen
              << ": without --tls-cert-file the API is served on loopback only (tokens would "
                 "travel in clear text); give TLS files, or --insecure-allow-plain-http\n";
    return 2;
  }
  std::optional<swarm::controller::ListenAddress> metrics_address;
  if (!metrics_listen.empty()) {
    auto parsed = swarm::controller::ParseListenAddress(metrics_listen);
    if (!parsed.ok()) {
      std::cerr << "swarm-controller: --metrics-listen: " << parsed.status().message() << "\n";
      return 2;
    }
    if (!swarm::controller::IsLoopbackHost(parsed->host)) {
      std::cerr << "swarm-controller: --metrics-listen " << metrics_listen
                << ": metrics without a token are served on loopback only; a Prometheus "
                   "elsewhere scrapes /metrics on --listen with a viewer token\n";
      return 2;
    }
    metrics_address = *parsed;
  }
  auto header_deadline = swarm::api::ParseDuration(header_timeout);
  if (!header_deadline.ok() || header_deadline->count() <= 0) {
    std::cerr << "swarm-controller: --request-header-timeout: \"" << header_timeout
              << "\" is not a positive duration such as 10s\n";
    return 2;
  }
  limits.header_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(*header_deadline);
  auto check_interval = swarm::api::ParseDuration(binhost_check);
  if (!check_interval.ok() || check_interval->count() <= 0) {
    std::cerr << "swarm-controller: --binhost-check-interval: \"" << binhost_check
              << "\" is not a positive duration such as 30s or 1m\n";
    return 2;
  }
  const std::filesystem::path beside =
      std::filesystem::absolute(state_file).parent_path();
  if (binhost_dir.empty()) binhost_dir = (beside / "binhost").string();
  if (build_log_dir.empty()) build_log_dir = (beside / "build-logs").string();
  auto binhost = swarm::controller::Binhost::Open(binhost_dir);
  if (!binhost.ok()) {
    std::cerr << "swarm-controller: --binhost-dir: " << binhost.status().message() << "\n";
    return 1;
  }
  auto store = swarm::controller::Store::Open(state_file);
  if (!store.ok()) {
    std::cerr << "swarm-controller: --state: " << store.status().message() << "\n";
    return 1;
  }

  // Signals are taken by one thread with sigwait, never by a handler, so
  // shutdown runs ordinary code.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  swarm::controller::BuildOutputs outputs;
  outputs.binhost = binhost->get();
  outputs.log_dir = build_log_dir;
  outputs.index_thread = true;
  swarm::controller::SwarmController controller(store->get(), swarm::SystemClock::Get(),
                                                outputs);
  if (auto st = controller.Start(); !st.ok()) {
    std::cerr << "swarm-controller: loading state: " << st.message() << "\n";
    return 1;
  }
  swarm::controller::ServeOptions serve;
  serve.limits = limits;
  serve.tls = tls.get();
  if (!tls_on && !swarm::controller::IsLoopbackHost(address->host)) {
    serve.warning = "this controller serves plain HTTP on " + listen +
                    ": tokens travel in clear text (--insecure-allow-plain-http)";
    spdlog::warn("{}", serve.warning);
  }
  swarm::controller::ApiServer api(&controller, tokens->get(), binhost->get(), serve);
  auto port = api.Bind(address->host, address->port);
  if (!port.ok()) {
    std::cerr << "swarm-controller: " << port.status().message() << "\n";
    return 1;
  }
  const std::string url = std::string(tls_on ? "https://" : "http://") + address->UrlHost() +
                          ":" + std::to_string(*port);
  spdlog::info("serving the API on {} (state {}, binhost {}, {} tokens{})", url, state_file,
               (*binhost)->dir(), (*tokens)->Current()->size(),
               tls && tls->verifies_clients() ? ", client certificates required" : "");
  if (!address_file.empty() && !WriteAddressFile(address_file, url)) {
    std::cerr << "swarm-controller: cannot write --address-file " << address_file << "\n";
    return 1;
  }

  // GET /metrics without a token, on loopback only (checked above).
  std::unique_ptr<swarm::controller::HttpServer> metrics_server;
  std::thread metrics_thread;
  if (metrics_address) {
    metrics_server = std::make_unique<swarm::controller::HttpServer>(limits, nullptr);
    metrics_server->Get("/metrics", [&controller](const httplib::Request&, httplib::Response& res) {
      res.set_content(controller.metrics().registry()->Write(),
                      swarm::controller::metrics::kContentType);
    });
    const int metrics_port = metrics_server->Bind(metrics_address->host, metrics_address->port);
    if (metrics_port <= 0) {
      std::cerr << "swarm-controller: --metrics-listen: cannot listen on " << metrics_listen
                << "\n";
      return 1;
    }
    spdlog::info("serving metrics on http://{}:{}/metrics", metrics_address->UrlHost(),
                 metrics_port);
    metrics_thread = std::thread([&] { metrics_server->listen_after_bind(); });
  }

  // The binhost check is a key of the work queue; hashing holds a worker,
  // not the lock, so one more worker keeps the rest moving meanwhile.
  controller.CheckBinhostEvery(*check_interval, binhost_full_every);
  std::thread reconciler([&] { controller.RunLoop(3); });
  std::atomic<bool> serving{true};
  std::thread signal_waiter([&] {
    int sig = 0;
    // SIGHUP re-reads the tokens and certificates; what cannot be read is
    // logged and the ones in use stay.
    while (sigwait(&signals, &sig) == 0 && sig == SIGHUP) {
      if (auto st = (*tokens)->Reload(); st.ok()) {
        spdlog::info("SIGHUP: re-read {} ({} tokens)", (*tokens)->path(),
                     (*tokens)->Current()->size());
      } else {
        spdlog::error("SIGHUP: keeping the tokens in use: {}", st.message());
      }
      if (tls) {
        auto st = swarm::CheckSecretFileMode(tls_files.key_file, "TLS private key");
        if (st.ok()) st = tls->Reload();
        if (st.ok()) {
          spdlog::info("SIGHUP: re-read the TLS certificate, key and client CA");
        } else {
          spdlog::error("SIGHUP: keeping the TLS files in use: {}", st.message());
        }
      }
    }
    if (serving) spdlog::info("signal {}: shutting down", sig);
    api.Stop();
    if (metrics_server) metrics_server->Shutdown();
    controller.Stop();
  });
  const bool served = api.Serve();
  serving = false;
  // The server can also stop on its own; the blocked signal wakes the waiter.
  kill(getpid(), SIGTERM);
  signal_waiter.join();
  if (metrics_thread.joinable()) metrics_thread.join();
  reconciler.join();
  return served ? 0 : 1;
}

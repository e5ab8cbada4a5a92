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
#include <thread>

#include "base/clock.h"
#include "api/quantity.h"
#include "controller/server/apiserver.h"
#include "controller/binhost/binhost.h"
#include "controller/server/auth.h"
#include "controller/server/listen_address.h"
#include "controller/store/store.h"
#include "controller/core/swarm_controller.h"

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
  auto auth = swarm::controller::TokenAuthenticator::LoadFile(token_file);
  if (!auth.ok()) {
    std::cerr << "swarm-controller: --token-auth-file: " << auth.status().message() << "\n";
    return 2;
  }
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
  swarm::controller::ApiServer api(&controller, &*auth, binhost->get());
  auto port = api.Bind(address->host, address->port);
  if (!port.ok()) {
    std::cerr << "swarm-controller: " << port.status().message() << "\n";
    return 1;
  }
  const std::string url = "http://" + address->UrlHost() + ":" + std::to_string(*port);
  spdlog::info("serving the API on {} (state {}, binhost {}, {} tokens)", url, state_file,
               (*binhost)->dir(), auth->size());
  if (!address_file.empty() && !WriteAddressFile(address_file, url)) {
    std::cerr << "swarm-controller: cannot write --address-file " << address_file << "\n";
    return 1;
  }

  // The binhost check is a key of the work queue; hashing holds a worker,
  // not the lock, so one more worker keeps the rest moving meanwhile.
  controller.CheckBinhostEvery(*check_interval, binhost_full_every);
  std::thread reconciler([&] { controller.RunLoop(3); });
  std::atomic<bool> serving{true};
  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (serving) spdlog::info("signal {}: shutting down", sig);
    api.Stop();
    controller.Stop();
  });
  const bool served = api.Serve();
  serving = false;
  // The server can also stop on its own; the blocked signal wakes the waiter.
  kill(getpid(), SIGTERM);
  signal_waiter.join();
  reconciler.join();
  return served ? 0 : 1;
}

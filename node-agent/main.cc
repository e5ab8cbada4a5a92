// swarm-agent: wiring only. Flags, config, logging, signals; the agent itself
// lives in swarm_agent_lib.

#include <pthread.h>
#include <signal.h>
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include "base/clock.h"
#include "base/command_runner.h"
#include "base/http_client.h"
#include "node-agent/action_executor.h"
#include "node-agent/action_runner.h"
#include "node-agent/agent.h"
#include "node-agent/build_executor.h"
#include "node-agent/build_runner.h"
#include "node-agent/config.h"
#include "node-agent/probes.h"
#include "node-agent/running_commands.h"
#include "node-agent/self_check.h"
#include "node-agent/sleeper.h"

namespace {

using swarm::HttpClient;
using swarm::ProcessRunner;
using swarm::SystemClock;
using swarm::agent::ActionRunner;
using swarm::agent::ActionSettingsFor;
using swarm::agent::Agent;
using swarm::agent::AgentOptions;
using swarm::agent::BuildRunner;
using swarm::agent::BuildSettingsFor;
using swarm::agent::HostActionExecutor;
using swarm::agent::HostBuildExecutor;
using swarm::agent::HostSelfChecker;
using swarm::agent::HttpControllerTransport;
using swarm::agent::InterruptibleSleeper;
using swarm::agent::kExitConfigError;
using swarm::agent::kExitOk;
using swarm::agent::kExitRuntimeError;
using swarm::agent::LoadAgentConfig;
using swarm::agent::ProbePathsFor;
using swarm::agent::Prober;
using swarm::agent::RecordingRunner;
using swarm::agent::RunningCommands;
using swarm::agent::SelfCheckSettingsFor;

// How long a stopping agent waits for a running action to end on its own,
// then for it to end after its cancel (SIGTERM, SIGKILL 5s later); how long
// it tries to deliver the returned builds; how long the cancelled builds get
// to end. Together well inside systemd's default 90s stop timeout.
constexpr std::chrono::seconds kActionStopGrace{20};
constexpr std::chrono::seconds kActionTermGrace{10};
constexpr std::chrono::seconds kDeliverGrace{5};
constexpr std::chrono::seconds kBuildStopGrace{15};

void SetUpLogging(const std::string& drone_name) {
  auto logger = spdlog::stderr_logger_mt("swarm-agent");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ [" + drone_name + "] %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::info);
  spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=debug shows every retry
}

}  // namespace

int main(int argc, char** argv) {
  // A controller that closes a TLS connection while a report is written would
  // otherwise kill the agent with SIGPIPE (OpenSSL writes without
  // MSG_NOSIGNAL); the write fails instead and the report is retried.
  signal(SIGPIPE, SIG_IGN);
  CLI::App app(
      "swarm-agent: the build-swarm node agent; heartbeats this drone's state to the "
      "controller.\nExit codes: 0 stopped by SIGTERM/SIGINT, 1 could not start, "
      "2 bad flags or configuration.");
  std::string config_path;
  app.add_option("--config", config_path, "agent.yaml")->required();
  app.set_version_flag("--version", std::string("swarm-agent ") + SWARM_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitConfigError;
  }

  auto config = LoadAgentConfig(config_path);
  if (!config.ok()) {
    // Each line already reads "<file>:<line>:<column>: <key>: <what was expected>".
    std::cerr << config.status().message() << "\n";
    return kExitConfigError;
  }
  SetUpLogging(config->name);

  // Signals are taken by one thread with sigwait(), so Stop() runs in a normal
  // thread context instead of a handler. Block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto http = HttpClient::Create(config->controller, config->token, config->tls);
  if (!http.ok()) {
    spdlog::critical("{}", http.status().message());
    return kExitRuntimeError;
  }
  HttpControllerTransport transport(std::move(http).value());
  // Build reports get a connection of their own: a binary package's upload
  // runs beside the heartbeats, never between them.
  auto report_http = HttpClient::Create(config->controller, config->token, config->tls);
  if (!report_http.ok()) {
    spdlog::critical("{}", report_http.status().message());
    return kExitRuntimeError;
  }
  HttpControllerTransport report_transport(std::move(report_http).value());
  ProcessRunner runner;
  // What an earlier agent left running goes before anything starts; from
  // here on every command the agent runs is recorded while it runs.
  RunningCommands running(config->state_dir, config->proc_root);
  running.KillLeftovers();
  RecordingRunner recording(&runner, &running);
  Prober prober(ProbePathsFor(*config), &runner);
  InterruptibleSleeper sleeper;
  HostActionExecutor executor(ActionSettingsFor(*config), &recording);
  // A finished action or build brings the next heartbeat forward, so the
  // controller sees the new deploy version, tree or build result promptly.
  ActionRunner actions(&executor, [&sleeper] { sleeper.Wake(); });
  HostBuildExecutor build_executor(BuildSettingsFor(*config), &recording, SystemClock::Get());
  BuildRunner builds(&build_executor, SystemClock::Get(), [&sleeper] { sleeper.Wake(); });
  HostSelfChecker self_check(SelfCheckSettingsFor(*config), &recording);
  Agent agent(AgentOptions{config->name, config->controller}, &prober, &transport, &sleeper,
              SystemClock::Get(), &actions, &builds, &self_check);
  agent.DeliverReportsOver(&report_transport);
  actions.Start();

  std::atomic<bool> signaled{false};
  std::atomic<int> stop_signal{SIGTERM};
  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    signaled.store(true);
    stop_signal.store(sig);
    spdlog::info("received {}: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    agent.Stop();
  });

  agent.Run();

  // Run() returns only after Stop(); the wake-up below covers any other return.
  if (!signaled.load()) pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();

  // Builds: each running emerge is cancelled (SIGTERM to its process group,
  // SIGKILL after the build grace) and returned to the controller at once,
  // so another drone can take it.
  const std::string why = std::string("agent shutting down (") +
                          (stop_signal.load() == SIGINT ? "SIGINT" : "SIGTERM") + ")";
  if (size_t n = builds.ReturnAll(why); n > 0) spdlog::info("returned {} build(s): {}", n, why);
  InterruptibleSleeper pause;
  agent.DeliverBeforeExit(kDeliverGrace, pause);

  // Actions: no new one starts (queued ones are dropped; the controller
  // issues them again). A running hook or emerge gets kActionStopGrace to
  // end; then it is cancelled, so that no orphan outlives the agent (a
  // restarted agent could start a second deploy beside it). The result, a
  // failure when it was stopped, gets delivered. A stopped deploy writes no
  // marker: the drone keeps reporting its old version and the controller
  // issues the deploy again.
  if (!actions.WaitStopped(kActionStopGrace)) {
    spdlog::warn("an action is still running after {}s; stopping it", kActionStopGrace.count());
    executor.Cancel();
    if (!actions.WaitStopped(kActionTermGrace)) {
      spdlog::warn("the action did not end; exiting without its result");
      spdlog::shutdown();
      // The worker still uses objects of this frame: skip their destructors.
      std::_Exit(kExitOk);
    }
  }
  if (size_t left = agent.DeliverBeforeExit(kDeliverGrace, pause); left > 0) {
    spdlog::warn("{} result(s) not delivered before exit", left);
  }
  if (!builds.WaitIdle(kBuildStopGrace)) {
    spdlog::warn("a cancelled build did not end within {}s; exiting without waiting for it",
                 kBuildStopGrace.count());
    spdlog::shutdown();
    std::_Exit(kExitOk);
  }
  return kExitOk;
}

// swarmctl: the operator's command line for a build-swarm controller.
// Wiring only: flags, connection, then one verb of this library.

#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "base/clock.h"
#include "swarmctl/api_client.h"
#include "swarmctl/apply.h"
#include "swarmctl/completion.h"
#include "swarmctl/connection.h"
#include "swarmctl/describe.h"
#include "swarmctl/diff.h"
#include "swarmctl/drone_verbs.h"
#include "swarmctl/errors.h"
#include "swarmctl/fresh.h"
#include "swarmctl/get.h"
#include "swarmctl/logs.h"
#include "swarmctl/release_cut.h"
#include "swarmctl/release_verbs.h"
#include "swarmctl/status.h"
#include "swarmctl/wait.h"

namespace ctl = swarm::ctl;

int main(int argc, char** argv) {
  // A server that ends a TLS connection mid-request would otherwise kill
  // swarmctl with SIGPIPE, silently; the request fails with a message instead.
  signal(SIGPIPE, SIG_IGN);
  CLI::App app{"The operator's command line for a build-swarm controller.", "swarmctl"};
  app.set_version_flag("--version", SWARM_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return std::string("error: ") + e.what() + " (see 'swarmctl --help')\n";
  });

  ctl::ConnectionFlags flags;
  app.add_option("--server", flags.server,
                 "controller URL; else $SWARMCTL_SERVER, else the config's (else "
                 "$SWARMCTL_CONFIG, else ~/.config/build-swarm/config.yaml), else "
                 "http://127.0.0.1:7800");
  auto* token = app.add_option("--token", flags.token, "bearer token; else $SWARMCTL_TOKEN");
  auto* token_file =
      app.add_option("--token-file", flags.token_file, "file whose first line is the token");
  token->excludes(token_file);
  app.add_option("--certificate-authority", flags.certificate_authority,
                 "PEM CA that signed the controller's certificate; else the config's, else the "
                 "system's");
  app.add_option("--client-certificate", flags.client_certificate,
                 "PEM client certificate, for a controller that asks for one");
  app.add_option("--client-key", flags.client_key, "PEM key of --client-certificate");

  ctl::ApplyArgs apply;
  auto* apply_cmd = app.add_subcommand("apply", "Apply a Swarm from YAML files");
  apply_cmd->add_option("-f,--filename", apply.files, "YAML file with Swarm documents; - for stdin")
      ->required();
  apply_cmd->add_option("--dry-run", apply.dry_run,
                        "server: the controller checks and decides, and stores nothing");

  ctl::DiffArgs diff;
  auto* diff_cmd = app.add_subcommand(
      "diff", "What apply would change: exit 0 (nothing), 1 (changes), more (an error)");
  diff_cmd->add_option("-f,--filename", diff.files, "YAML file with Swarm documents; - for stdin")
      ->required();

  ctl::GetArgs get;
  auto* get_cmd = app.add_subcommand("get", "List swarm, drones, packages, events or releases");
  get_cmd->add_option("resource", get.resource, "swarm, drones, packages, events or releases")
      ->required();
  get_cmd->add_option("name", get.name, "one object's name");
  get_cmd->add_option("-o,--output", get.output, "wide, json, yaml or name")
      ->check(CLI::IsMember({"wide", "json", "yaml", "name"}));
  get_cmd->add_flag("-w,--watch", get.watch,
                    "after listing, print each change as it happens (until interrupted)");
  get_cmd->add_option("--for", get.for_object,
                      "events: only those of drone/NAME, package/NAME, release/NAME or "
                      "swarm/NAME");

  ctl::DescribeArgs describe;
  auto* describe_cmd = app.add_subcommand("describe", "Show a swarm, drone or release in detail");
  describe_cmd->add_option("resource", describe.resource, "swarm, drone or release")->required();
  describe_cmd->add_option("name", describe.name, "one object's name; default: all");

  ctl::WaitArgs wait;
  auto* wait_cmd = app.add_subcommand(
      "wait", "Wait until a condition of the Swarm holds (Converged, QueueComplete, ...)");
  wait_cmd
      ->add_option("--for", wait.for_condition,
                   "condition=NAME[=STATUS], e.g. condition=QueueComplete")
      ->required();
  wait_cmd
      ->add_option("--timeout", wait.timeout, "give up after this long (e.g. 2h; 0s looks once)")
      ->capture_default_str();

  auto* status_cmd =
      app.add_subcommand("status", "The swarm on one screen, and what needs a person");
  auto* fresh_cmd = app.add_subcommand(
      "fresh", "Fresh start: re-sync every member, rediscover the queue, clear groundings");

  struct DroneVerbCommand {
    ctl::DroneVerb verb;
    const char* help;
    CLI::App* cmd = nullptr;
  };
  std::vector<DroneVerbCommand> drone_verbs = {
      {ctl::DroneVerb::kCordon, "Give a drone no new work; what it builds finishes"},
      {ctl::DroneVerb::kUncordon, "Let a cordoned drone take work again"},
      {ctl::DroneVerb::kDrain, "Cordon a drone and return its builds to the queue"},
      {ctl::DroneVerb::kUnground, "Clear a drone's Grounded condition and failure count"},
  };
  std::string drone;
  for (auto& v : drone_verbs) {
    v.cmd = app.add_subcommand(ctl::DroneVerbName(v.verb), v.help);
    v.cmd->add_option("drone", drone, "the drone's name")->required();
  }

  ctl::ReleaseCutArgs cut;
  auto* release_cmd = app.add_subcommand("release", "Act on the binhost's releases: release cut");
  release_cmd->require_subcommand(1);
  auto* cut_cmd = release_cmd->add_subcommand(
      "cut", "Cut a release of the binhost now, from what is published");
  auto* cut_wait = cut_cmd
                       ->add_option("--wait", cut.timeout,
                                    std::string("wait until it is cut or refused, at most this "
                                                "long (--wait alone: ") +
                                        ctl::kDefaultCutWait + ")")
                       ->expected(0, 1);
  std::string release;
  auto* promote_cmd = app.add_subcommand("promote", "Serve a release at /binhost/current");
  promote_cmd->add_option("release", release, "the release's name (swarmctl get releases)")
      ->required();
  auto* rollback_cmd = app.add_subcommand(
      "rollback", "Serve the release before the promoted one at /binhost/current");

  std::string shell;
  auto* completion_cmd = app.add_subcommand(
      "completion", "Print a shell completion script: source <(swarmctl completion bash)");
  completion_cmd->add_option("shell", shell, "bash or zsh")->required();

  std::string package;
  auto* logs_cmd = app.add_subcommand("logs", "Print the last build log of a package");
  logs_cmd->add_option("package", package, "CATEGORY/NAME-VERSION, e.g. dev-libs/openssl-3.3.3")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports an unknown verb as a missing subcommand; name the word instead.
    if (app.get_subcommands().empty() && !app.remaining().empty() &&
        app.remaining().front().rfind('-', 0) != 0) {
      std::cerr << "error: unknown command \"" << app.remaining().front()
                << "\" (see 'swarmctl --help')\n";
      return ctl::kExitUsage;
    }
    return app.exit(e) == 0 ? ctl::kExitOk : ctl::kExitUsage;
  }

  // Needs no controller.
  if (*completion_cmd) return ctl::RunCompletion(shell, std::cout, std::cerr);

  // diff's 1 means "changes", so its errors are 2, as kubectl diff's.
  const int error_exit = *diff_cmd ? ctl::kExitDiffError : ctl::kExitError;
  auto connection = ctl::ResolveConnection(flags, ctl::ProcessEnv);
  if (!connection.ok()) return ctl::Fail(std::cerr, connection.status(), error_exit);
  if (auto w = ctl::ClearTextWarning(*connection); !w.empty()) std::cerr << w << "\n";
  auto api = ctl::HttpApiTransport::Create(connection->server, connection->token,
                                           connection->tls, std::cerr);
  if (!api.ok()) return ctl::Fail(std::cerr, api.status(), error_exit);
  const swarm::WallTime now = swarm::SystemClock::Get()->Now();

  if (*apply_cmd) return ctl::RunApply(apply, **api, std::cin, std::cout, std::cerr);
  if (*diff_cmd) return ctl::RunDiff(diff, **api, std::cin, std::cout, std::cerr);
  if (*get_cmd) return ctl::RunGet(get, **api, *swarm::SystemClock::Get(), std::cout, std::cerr);
  if (*wait_cmd) {
    // The progress line is for a person at a terminal, never for a pipe.
    return ctl::RunWait(wait, **api, *swarm::SystemClock::Get(), isatty(STDOUT_FILENO) == 1,
                        std::cout, std::cerr);
  }
  if (*status_cmd) return ctl::RunStatus(**api, now, std::cout, std::cerr);
  if (*fresh_cmd) return ctl::RunFresh(**api, std::cout, std::cerr);
  if (*logs_cmd) return ctl::RunLogs(package, **api, std::cout, std::cerr);
  if (*cut_cmd) {
    cut.wait = cut_wait->count() > 0;
    return ctl::RunReleaseCut(cut, **api, *swarm::SystemClock::Get(), std::cout, std::cerr);
  }
  if (*promote_cmd) return ctl::RunPromote(release, **api, std::cout, std::cerr);
  if (*rollback_cmd) return ctl::RunRollback(**api, std::cout, std::cerr);
  for (const auto& v : drone_verbs) {
    if (*v.cmd) return ctl::RunDroneVerb(v.verb, drone, **api, std::cout, std::cerr);
  }
  return ctl::RunDescribe(describe, **api, now, std::cout, std::cerr);
}

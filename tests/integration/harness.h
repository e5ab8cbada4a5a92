#pragma once

// Runs the real binaries (swarm-controller, swarm-agent, swarmctl) as child
// processes on 127.0.0.1 with a temp dir, and waits for conditions by polling
// them, never by sleeping a fixed time.

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/http_client.h"
#include "tests/support/temp_dir.h"

namespace swarm::testing {

// A child process with its output in a log file; killed (SIGKILL, with its
// process group) and reaped on destruction.
class Process {
 public:
  // Starts argv (argv[0] a path) in a process group of its own; stdout and
  // stderr go to `log_path`. It gets `death_signal` when the thread that
  // started it ends (the test died), so nothing outlives a dead test.
  static std::unique_ptr<Process> Start(const std::vector<std::string>& argv,
                                        const std::string& log_path, int death_signal = SIGKILL);
  ~Process();
  pid_t pid() const { return pid_; }
  void Signal(int sig);
  // Waits for exit and returns the wait status; -1 when not running.
  int Wait();
  bool Exited();  // reaps without blocking
  std::string Log() const;

 private:
  Process(pid_t pid, std::string log) : pid_(pid), log_path_(std::move(log)) {}
  pid_t pid_;
  bool reaped_ = false;
  std::string log_path_;
};

struct CommandOutput {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a command to completion with stdin from `input`, capturing stdout and
// stderr separately.
CommandOutput RunCommand(const std::vector<std::string>& argv, const std::string& input = "");

// Polls `condition` every 50 ms until it holds or `timeout` passes.
bool WaitFor(const std::function<bool()>& condition,
             std::chrono::milliseconds timeout = std::chrono::seconds(30));

// The value of `sample` (a name with its labels, as written, e.g.
// `buildswarm_packages{phase="Complete"}`) in a Prometheus exposition; -1
// when it is not there.
double MetricValue(const std::string& exposition, const std::string& sample);
// What `promtool check metrics` says of an exposition: "" when it takes it,
// else its complaints (or that promtool is missing: Debian's prometheus
// package, which hack/test.sh installs).
std::string PromtoolCheck(const std::string& exposition);

std::string BinPath(const std::string& name);    // <build>/bin/<name>
std::string SourcePath(const std::string& rel);  // <source>/<rel>

// The certificates every harness shares (hack/lib/make-certs.sh, made once
// per test program): a CA, the controller's for 127.0.0.1, and client
// certificates by name (CN), each made on first use.
class TestPki {
 public:
  static TestPki& Get();
  const std::string& ca() const { return ca_; }
  std::string ServerCert() const { return dir_.File("server.pem"); }
  std::string ServerKey() const { return dir_.File("server.key"); }
  // Client certificate and key for CN `name`, made when missing.
  TlsClientFiles Client(const std::string& name);
  // Server-trusting files without a client certificate.
  TlsClientFiles NoClient() const { return {ca_, "", ""}; }
  const std::string& dir() const { return dir_.path(); }

 private:
  TestPki();
  TempDir dir_;
  std::string ca_;
};

// Real portage (hack/real-portage/lib.sh): the release tarball the tests
// use, as lib.sh finds it ($SWARM_PORTAGE_TARBALL, else the shared copy
// beside the source tree); "" when there is none.
std::string RealPortageTarball();
// Runs `script` in bash with lib.sh sourced (SWARM_ROOT the source tree,
// SWARM_PORTAGE_TARBALL the tarball above).
CommandOutput RealPortageShell(const std::string& script);
// Makes the real-portage prefix `prefix` trust the harness's test CA when
// it fetches from the controller: wget, portage's FETCHCOMMAND and
// RESUMECOMMAND, gets --ca-certificate in its make.conf. Portage reads a
// binhost's index with Python's urllib, which takes SSL_CERT_FILE from the
// environment: the caller sets that (RealPortageEnv).
bool RealPortageTrustTestCa(const std::string& prefix);
// `/usr/bin/env SSL_CERT_FILE=<test CA>`, to put before a command.
std::vector<std::string> RealPortageEnv();

// A Swarm YAML named home, up to its roster's first line ("  drones:"): the
// tree and deploy every member must have, `discover_on` resolving @world.
std::string SwarmYamlHead(const std::string& tree_revision, const std::string& deploy_version,
                          const std::string& discover_on);

// A controller, its token file, and agents for named drones, all in one temp dir.
// The controller serves HTTPS and asks for client certificates (mTLS): every
// client the harness makes presents one, as a real deployment's would.
class SwarmHarness {
 public:
  SwarmHarness();
  ~SwarmHarness();

  const TempDir& dir() const { return dir_; }
  const std::string& admin_token() const { return admin_token_; }
  // A viewer ("prometheus"): reads and /metrics, no changes.
  const std::string& viewer_token() const { return viewer_token_; }
  // Token of an agent identity (created for every name passed to AddAgentToken
  // and for every agent started).
  std::string AgentToken(const std::string& drone);
  void AddAgentToken(const std::string& drone);
  // Removes the drone's token from the token file (the controller reads it
  // again on SIGHUP).
  void RevokeAgentToken(const std::string& drone);

  // Starts the controller on 127.0.0.1:`port` (0: a free port) with the state
  // file in the temp dir, and waits until /healthz answers. False on failure.
  // `extra` flags go last.
  bool StartController(int port = 0, const std::vector<std::string>& extra = {});
  // Serves the controller's certificate and key from these files instead of
  // the shared ones (for tests that replace them); takes effect at the next
  // StartController.
  void UseServerCertificate(const std::string& cert, const std::string& key) {
    server_cert_ = cert;
    server_key_ = key;
  }
  // An API client presenting the client certificate of CN `cert_name` ("" for
  // none) with `token`.
  std::unique_ptr<HttpClient> Client(const std::string& token,
                                     const std::string& cert_name = "admin");
  // swarmctl's TLS flags, for a certificate of CN `cert_name`.
  std::vector<std::string> SwarmctlTlsFlags(const std::string& cert_name = "admin");
  int port() const;
  void KillController(int sig);  // signal, then reap
  const std::string& url() const { return url_; }
  Process* controller() { return controller_.get(); }

  // Starts an agent for `drone`, whose portage tree reports `tree_revision`
  // through metadata/timestamp.commit and whose DEPLOY_MARKER holds
  // `deploy_version` (no marker when empty).
  bool StartAgent(const std::string& drone, const std::string& tree_revision = "rev-a",
                  const std::string& deploy_version = "");
  Process* agent(const std::string& drone) { return agents_[drone].get(); }

  // The fake gentoo tree (hack/fake-portage/make-tree.sh), made on first use.
  const std::string& TreeDir();
  // Revision ids of the fake tree's tags rev-1 and rev-2.
  std::string Revision(int n);

  // Starts an agent for `drone` on its own clone of the fake tree checked out
  // at tag `start_tag`, with the fake emerge, the fake deploy hook and the
  // default git sync hook; DEPLOY_MARKER holds `marker` (none when empty).
  bool StartPortageAgent(const std::string& drone, const std::string& start_tag = "rev-1",
                         const std::string& marker = "");
  struct PortageAgentOptions {
    std::string start_tag = "rev-1";
    std::string marker;  // DEPLOY_MARKER's content; none when empty
    // Exported by the drone's emerge wrapper, for the fake emerge's
    // injections (hack/fake-portage/emerge): FAKE_EMERGE_MEMORY_BYTES,
    // FAKE_EMERGE_FAIL_ALL, FAKE_EMERGE_BUILD_SECONDS, FAKE_EMERGE_ZERO_BYTE,
    // FAKE_EMERGE_BUILD_LOG.
    // Names must be shell variable names; values may hold anything.
    std::map<std::string, std::string> emerge_env;
    // The machine it reports, through a /proc of its own, when both are set
    // (the size its roster labels say: the controller counts a report only
    // up to them, and this host may be smaller); else this host's /proc.
    int cores = 0;
    int64_t memory_bytes = 0;
  };
  // As above, with the wrapper's environment. False (nothing started) for a
  // name that is not a shell variable name.
  bool StartPortageAgent(const std::string& drone, const PortageAgentOptions& options);
  std::string DroneDir(const std::string& drone) const { return dir_.File("drones/" + drone); }

  // Starts an agent for `drone` running real portage (hack/real-portage):
  // its own clone of `origin` (the test repository, realportage::make_repo)
  // at `start_rev` in DroneDir/repo, a prefix on that clone in
  // DroneDir/prefix (realportage::make_prefix, @world selected) whose
  // emerge wrapper the agent runs, PKGDIR and PORTAGE_TMPDIR the prefix's,
  // the default git sync hook, and DEPLOY_MARKER holding `marker`. Its
  // binrepos.conf names the controller's live binhost, so a build's
  // `--getbinpkg` installs dependencies other drones built from there, as
  // a real drone's does (the test CA trusted as RealPortageTrustTestCa
  // does). False (with what failed on stderr) when any step fails.
  bool StartRealPortageAgent(const std::string& drone, const std::string& origin,
                             const std::string& start_rev, const std::string& marker);

  // The condition `type` of a drone as "Status/Reason", "" when absent.
  std::string DroneCondition(const std::string& drone, const std::string& type);
  std::string SwarmCondition(const std::string& type);

  // A Swarm YAML with fast heartbeats, the given tree revision and deploy,
  // `discover_on` resolving @world, and the roster `drones`.
  std::string WriteReconcileSwarm(const std::string& file, const std::vector<std::string>& drones,
                                  const std::string& tree_revision,
                                  const std::string& deploy_version,
                                  const std::string& discover_on);

  // swarmctl with --server and the admin token.
  CommandOutput Swarmctl(std::vector<std::string> args, const std::string& input = "");
  // GET with the admin token; null json when the call fails.
  nlohmann::json GetJson(const std::string& path);
  // GET `path` with `token`: the body on 200, else "".
  std::string GetText(const std::string& path, const std::string& token);
  // The drone's Ready condition status ("True", "Unknown", ...), "" when absent.
  std::string ReadyStatus(const std::string& drone);

  // Writes a Swarm YAML for `drones` with fast heartbeats (interval 1s,
  // grace 3s) and returns its path.
  std::string WriteSwarm(const std::string& file, const std::vector<std::string>& drones,
                         const std::string& deploy_version = "2026.02.05");

 private:
  void WriteTokenFile();
  // The agent.yaml lines of the drone's TLS files.
  std::string AgentTlsConfig(const std::string& drone);
  // Writes the drone's agent.yaml (token, state dir, the portage paths and
  // hooks given) and starts its agent (with RealPortageEnv for real portage).
  bool LaunchAgent(const std::string& drone, const std::string& proc_root,
                   const std::string& portage_yaml, const std::string& hooks_yaml,
                   bool real_portage = false);

  TempDir dir_;
  std::string admin_token_;
  std::string viewer_token_;
  std::map<std::string, std::string> agent_tokens_;
  std::string url_;
  std::unique_ptr<Process> controller_;
  std::map<std::string, std::unique_ptr<Process>> agents_;
  std::string tree_dir_;
  std::string server_cert_;  // "" for the shared TestPki's
  std::string server_key_;
};

}  // namespace swarm::testing

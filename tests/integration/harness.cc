#include "tests/integration/harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "base/http_client.h"

namespace swarm::testing {
namespace {

// A server ending a TLS connection while a test writes to it must fail the
// write, not kill the test program (OpenSSL writes without MSG_NOSIGNAL).
const bool kSigpipeIgnored = [] { return signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();

std::string RandomToken() {
  std::random_device rd;
  std::ostringstream out;
  for (int i = 0; i < 4; ++i) out << std::hex << rd();
  return out.str();
}

std::vector<char*> CArgs(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  return args;
}

// A program built with the sanitizers (hack/test.sh --sanitize) that finds an
// error prints it to its stderr and exits. UBSan cannot be pointed at a file
// when it shares a process with ASan, and a test need not notice a program
// that died, so the output of every program a test ran is read for reports.
void FailOnSanitizerReport(const std::string& what, const std::string& output) {
  for (const char* marker :
       {"runtime error: ", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer"}) {
    const size_t at = output.find(marker);
    if (at == std::string::npos) continue;
    const size_t from = output.rfind('\n', at);
    ADD_FAILURE() << "sanitizer report from " << what << ":\n"
                  << output.substr(from == std::string::npos ? 0 : from + 1, 4000);
    return;
  }
}

}  // namespace

std::string BinPath(const std::string& name) { return std::string(SWARM_BIN_DIR) + "/" + name; }
std::string SourcePath(const std::string& rel) {
  return std::string(SWARM_SOURCE_DIR) + "/" + rel;
}

std::unique_ptr<Process> Process::Start(const std::vector<std::string>& argv,
                                        const std::string& log_path, int death_signal) {
  std::vector<char*> args = CArgs(argv);
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return nullptr;
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    return nullptr;
  }
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    // A new process group: signals meant for the child do not hit the test.
    setpgid(0, 0);
    // A test that dies (a sanitizer's abort, kill -9) takes its processes
    // with it, instead of leaving them to load the machine.
    prctl(PR_SET_PDEATHSIG, death_signal);
    if (getppid() != parent) _exit(127);
    execv(args[0], args.data());
    _exit(127);
  }
  close(log_fd);
  return std::unique_ptr<Process>(new Process(pid, log_path));
}

Process::~Process() {
  if (!reaped_) {
    // The child leads a group of its own: all it started goes with it.
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    Wait();
  }
  FailOnSanitizerReport(log_path_, Log());
}

void Process::Signal(int sig) {
  if (!reaped_) kill(pid_, sig);
}

int Process::Wait() {
  if (reaped_) return -1;
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return status;
}

bool Process::Exited() {
  if (reaped_) return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
  return reaped_;
}

std::string Process::Log() const { return ReadFile(log_path_); }

CommandOutput RunCommand(const std::vector<std::string>& argv, const std::string& input) {
  TempDir tmp;
  const std::string in_path = tmp.Write("stdin", input);
  const std::string out_path = tmp.File("stdout");
  const std::string err_path = tmp.File("stderr");
  std::vector<char*> args = CArgs(argv);
  CommandOutput result;
  pid_t pid = fork();
  if (pid < 0) return result;
  if (pid == 0) {
    int in = open(in_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  FailOnSanitizerReport(argv[0], result.err);
  return result;
}

double MetricValue(const std::string& exposition, const std::string& sample) {
  const std::string key = "\n" + sample + " ";
  const size_t at = ("\n" + exposition).find(key);
  if (at == std::string::npos) return -1;
  return std::stod(exposition.substr(at + key.size() - 1));
}

std::string PromtoolCheck(const std::string& exposition) {
  if (access("/usr/bin/promtool", X_OK) != 0) {
    return "/usr/bin/promtool is missing (Debian's prometheus package; hack/test.sh installs it)";
  }
  CommandOutput r = RunCommand({"/usr/bin/promtool", "check", "metrics"}, exposition);
  return r.exit_code == 0 ? "" : "exit " + std::to_string(r.exit_code) + ": " + r.out + r.err;
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

TestPki& TestPki::Get() {
  static TestPki* pki = new TestPki();
  return *pki;
}

TestPki::TestPki() {
  RunCommand({SourcePath("hack/lib/make-certs.sh"), dir_.path(), "admin"});
  ca_ = dir_.File("ca.pem");
}

TlsClientFiles TestPki::Client(const std::string& name) {
  if (ReadFile(dir_.File(name + ".pem")).empty()) {
    RunCommand({SourcePath("hack/lib/make-certs.sh"), dir_.path(), name});
  }
  return {ca_, dir_.File(name + ".pem"), dir_.File(name + ".key")};
}

SwarmHarness::SwarmHarness() : admin_token_(RandomToken()), viewer_token_(RandomToken()) {
  WriteTokenFile();
}

std::unique_ptr<HttpClient> SwarmHarness::Client(const std::string& token,
                                                 const std::string& cert_name) {
  TlsClientFiles tls = cert_name.empty() ? TestPki::Get().NoClient()
                                         : TestPki::Get().Client(cert_name);
  auto client = HttpClient::Create(url_, token, tls);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(*client) : nullptr;
}

std::vector<std::string> SwarmHarness::SwarmctlTlsFlags(const std::string& cert_name) {
  TlsClientFiles tls = TestPki::Get().Client(cert_name);
  return {"--certificate-authority", tls.ca_file, "--client-certificate", tls.cert_file,
          "--client-key", tls.key_file};
}

std::string SwarmHarness::AgentTlsConfig(const std::string& drone) {
  TlsClientFiles tls = TestPki::Get().Client(drone);
  return "tls:\n  caFile: " + tls.ca_file + "\n  certFile: " + tls.cert_file +
         "\n  keyFile: " + tls.key_file + "\n";
}

SwarmHarness::~SwarmHarness() {
  agents_.clear();
  controller_.reset();
}

std::string SwarmHarness::AgentToken(const std::string& drone) {
  auto it = agent_tokens_.find(drone);
  return it == agent_tokens_.end() ? "" : it->second;
}

void SwarmHarness::AddAgentToken(const std::string& drone) {
  if (!agent_tokens_.count(drone)) agent_tokens_[drone] = RandomToken();
  WriteTokenFile();
}

void SwarmHarness::RevokeAgentToken(const std::string& drone) {
  agent_tokens_.erase(drone);
  WriteTokenFile();
}

void SwarmHarness::WriteTokenFile() {
  std::string csv = "# token,name,role\n" + admin_token_ + ",admin,admin\n" + viewer_token_ +
                    ",prometheus,viewer\n";
  for (const auto& [name, token] : agent_tokens_) csv += token + "," + name + ",agent\n";
  dir_.WriteSecret("tokens.csv", csv);
}

int SwarmHarness::port() const {
  const size_t colon = url_.rfind(':');
  return colon == std::string::npos ? 0 : std::stoi(url_.substr(colon + 1));
}

bool SwarmHarness::StartController(int port, const std::vector<std::string>& extra) {
  const std::string address_file = dir_.File("controller.address");
  unlink(address_file.c_str());
  TestPki& pki = TestPki::Get();
  std::vector<std::string> argv = {
      BinPath("swarm-controller"), "--listen", "127.0.0.1:" + std::to_string(port), "--state",
      dir_.File("state.db"), "--token-auth-file", dir_.File("tokens.csv"), "--address-file",
      address_file, "--log-level", "debug", "--tls-cert-file",
      server_cert_.empty() ? pki.ServerCert() : server_cert_, "--tls-private-key-file",
      server_key_.empty() ? pki.ServerKey() : server_key_, "--client-ca-file", pki.ca()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  controller_ = Process::Start(argv, dir_.File("controller.log"));
  if (!controller_) return false;
  if (!WaitFor([&] { return !ReadFile(address_file).empty() || controller_->Exited(); })) {
    return false;
  }
  std::string url = ReadFile(address_file);
  while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
  if (url.empty()) return false;
  url_ = url;
  auto client = HttpClient::Create(url_, "", pki.NoClient());
  return client.ok() && WaitFor([&] {
           auto r = (*client)->Get("/healthz");
           return r.ok() && r->status == 200;
         });
}

void SwarmHarness::KillController(int sig) {
  if (!controller_) return;
  controller_->Signal(sig);
  controller_->Wait();
}

bool SwarmHarness::StartAgent(const std::string& drone, const std::string& tree_revision,
                              const std::string& deploy_version) {
  AddAgentToken(drone);
  const std::string root = dir_.File("drones/" + drone);
  dir_.WriteSecret("drones/" + drone + "/token", AgentToken(drone) + "\n");
  dir_.Write("drones/" + drone + "/repo/metadata/timestamp.commit",
             tree_revision + " 1738750000 2025-02-05 10:06:40 +0000\n");
  dir_.Write("drones/" + drone + "/pkgdir/.keep", "");
  dir_.Write("drones/" + drone + "/tmpdir/.keep", "");
  if (!deploy_version.empty()) {
    dir_.Write("drones/" + drone + "/state/DEPLOY_MARKER", deploy_version + "\n");
  } else {
    dir_.Write("drones/" + drone + "/state/.keep", "");
  }
  const std::string config = dir_.Write("drones/" + drone + "/agent.yaml",
                                        "name: " + drone + "\n"
                                        "controller: " + url_ + "\n"
                                        "tokenFile: " + root + "/token\n"
                                        "stateDir: " + root + "/state\n"
                                        "procRoot: /proc\n"
                                        "portage:\n"
                                        "  repoDir: " + root + "/repo\n"
                                        "  pkgDir: " + root + "/pkgdir\n"
                                        "  tmpDir: " + root + "/tmpdir\n"
                                        "  emerge: /bin/false\n"
                                        "  emergeLog: \"\"\n" +
                                        AgentTlsConfig(drone));
  agents_[drone] =
      Process::Start({BinPath("swarm-agent"), "--config", config}, root + "/agent.log");
  return agents_[drone] != nullptr;
}

CommandOutput SwarmHarness::Swarmctl(std::vector<std::string> args, const std::string& input) {
  std::vector<std::string> argv = {BinPath("swarmctl"), "--server", url_, "--token", admin_token_};
  for (std::string& flag : SwarmctlTlsFlags()) argv.push_back(std::move(flag));
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, input);
}

std::string SwarmHarness::GetText(const std::string& path, const std::string& token) {
  auto client = Client(token);
  if (!client) return "";
  auto r = client->Get(path);
  return r.ok() && r->status == 200 ? r->body : "";
}

nlohmann::json SwarmHarness::GetJson(const std::string& path) {
  auto client = Client(admin_token_);
  if (!client) return nullptr;
  auto r = client->Get(path);
  if (!r.ok() || r->status != 200) return nullptr;
  return nlohmann::json::parse(r->body, nullptr, false);
}

std::string SwarmHarness::ReadyStatus(const std::string& drone) {
  nlohmann::json d = GetJson("/api/v1/drones/" + drone);
  if (!d.is_object()) return "";
  for (const auto& c : d["status"]["conditions"]) {
    if (c.value("type", "") == "Ready") return c.value("status", "");
  }
  return "";
}

const std::string& SwarmHarness::TreeDir() {
  if (tree_dir_.empty()) {
    const std::string dir = dir_.File("tree");
    CommandOutput made = RunCommand({SourcePath("hack/fake-portage/make-tree.sh"), dir});
    if (made.exit_code == 0) tree_dir_ = dir;
  }
  return tree_dir_;
}

std::string SwarmHarness::Revision(int n) {
  CommandOutput out = RunCommand(
      {"/usr/bin/git", "-C", TreeDir(), "rev-parse", "rev-" + std::to_string(n)});
  std::string rev = out.out;
  while (!rev.empty() && rev.back() == '\n') rev.pop_back();
  return rev;
}

namespace {

bool IsShellName(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// `s` in single quotes for sh, each ' written as '\''.
std::string SingleQuoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

bool SwarmHarness::StartPortageAgent(const std::string& drone, const std::string& start_tag,
                                     const std::string& marker) {
  PortageAgentOptions options;
  options.start_tag = start_tag;
  options.marker = marker;
  return StartPortageAgent(drone, options);
}

bool SwarmHarness::StartPortageAgent(const std::string& drone,
                                     const PortageAgentOptions& options) {
  const std::string& start_tag = options.start_tag;
  const std::string& marker = options.marker;
  std::string exports;
  for (const auto& [name, value] : options.emerge_env) {
    if (!IsShellName(name)) return false;
    exports += "export " + name + "=" + SingleQuoted(value) + "\n";
  }
  AddAgentToken(drone);
  const std::string root = DroneDir(drone);
  if (TreeDir().empty()) return false;
  if (RunCommand({"/usr/bin/git", "clone", "-q", TreeDir(), root + "/repo"}).exit_code != 0 ||
      RunCommand({"/usr/bin/git", "-C", root + "/repo", "checkout", "-q", "--detach", start_tag})
              .exit_code != 0) {
    return false;
  }
  dir_.WriteSecret("drones/" + drone + "/token", AgentToken(drone) + "\n");
  dir_.Write("drones/" + drone + "/pkgdir/.keep", "");
  dir_.Write("drones/" + drone + "/tmpdir/.keep", "");
  dir_.Write("drones/" + drone + "/state/.keep", "");
  if (!marker.empty()) dir_.Write("drones/" + drone + "/state/DEPLOY_MARKER", marker + "\n");
  const std::string emerge = dir_.Write(
      "drones/" + drone + "/bin/emerge",
      "#!/bin/sh\n" + exports + "exec " + SourcePath("hack/fake-portage/emerge") +
          " --fake-repo " + root + "/repo \"$@\"\n");
  chmod(emerge.c_str(), 0755);
  std::string proc_root = "/proc";
  if (options.cores > 0 && options.memory_bytes > 0) {
    proc_root = root + "/proc";
    std::string cpuinfo;
    for (int i = 0; i < options.cores; ++i) cpuinfo += "processor\t: " + std::to_string(i) + "\n\n";
    const int64_t kb = options.memory_bytes / 1024;
    dir_.Write("drones/" + drone + "/proc/cpuinfo", cpuinfo);
    dir_.Write("drones/" + drone + "/proc/meminfo",
               "MemTotal: " + std::to_string(kb) + " kB\nMemAvailable: " +
                   std::to_string(kb * 9 / 10) + " kB\n");
    dir_.Write("drones/" + drone + "/proc/loadavg", "0.10 0.10 0.10 1/100 1\n");
  }
  return LaunchAgent(drone, proc_root,
                     "  repoDir: " + root + "/repo\n" +
                     "  pkgDir: " + root + "/pkgdir\n" +
                     "  tmpDir: " + root + "/tmpdir\n" +
                     "  emerge: " + emerge + "\n" +
                     "  emergeLog: \"\"\n",  // the host's own emerge.log times nothing here
                     "  deploy: " + SourcePath("hack/fake-portage/deploy-hook.sh") + " " + root +
                         "/state {version}\n");
}

bool SwarmHarness::LaunchAgent(const std::string& drone, const std::string& proc_root,
                               const std::string& portage_yaml, const std::string& hooks_yaml,
                               bool real_portage) {
  const std::string root = DroneDir(drone);
  const std::string config = dir_.Write(
      "drones/" + drone + "/agent.yaml",
      "name: " + drone + "\n" +
      "controller: " + url_ + "\n" +
      "tokenFile: " + root + "/token\n" +
      "stateDir: " + root + "/state\n" +
      "procRoot: " + proc_root + "\n" +
      "portage:\n" + portage_yaml +
      "hooks:\n" + hooks_yaml + AgentTlsConfig(drone));
  std::vector<std::string> argv = {BinPath("swarm-agent"), "--config", config};
  if (real_portage) {
    std::vector<std::string> env = RealPortageEnv();
    argv.insert(argv.begin(), env.begin(), env.end());
  }
  agents_[drone] = Process::Start(argv, root + "/agent.log");
  return agents_[drone] != nullptr;
}

bool SwarmHarness::StartRealPortageAgent(const std::string& drone, const std::string& origin,
                                         const std::string& start_rev,
                                         const std::string& marker) {
  AddAgentToken(drone);
  const std::string root = DroneDir(drone);
  auto step = [&](const CommandOutput& r, const char* what) {
    if (r.exit_code == 0) return true;
    fprintf(stderr, "%s: %s failed (exit %d):\n%s%s\n", drone.c_str(), what, r.exit_code,
            r.out.c_str(), r.err.c_str());
    return false;
  };
  if (!step(RunCommand({"/usr/bin/git", "clone", "-q", origin, root + "/repo"}), "git clone") ||
      !step(RunCommand({"/usr/bin/git", "-C", root + "/repo", "checkout", "-q", "--detach",
                        start_rev}),
            "git checkout") ||
      !step(RealPortageShell("realportage::make_prefix " + SingleQuoted(root + "/prefix") + " " +
                             SingleQuoted(root + "/repo") + " " +
                             SingleQuoted(url_ + "/binhost") + " && realportage::select " +
                             SingleQuoted(root + "/prefix")),
            "realportage::make_prefix") ||
      !RealPortageTrustTestCa(root + "/prefix")) {
    return false;
  }
  dir_.WriteSecret("drones/" + drone + "/token", AgentToken(drone) + "\n");
  dir_.Write("drones/" + drone + "/state/.keep", "");
  if (!marker.empty()) dir_.Write("drones/" + drone + "/state/DEPLOY_MARKER", marker + "\n");
  const std::string prefix = root + "/prefix";
  // PKGDIR and PORTAGE_TMPDIR are the prefix's make.conf's: its wrapper
  // drops the PKGDIR the agent exports, so the two must agree.
  return LaunchAgent(drone, "/proc",
                     "  repoDir: " + root + "/repo\n" +
                     "  pkgDir: " + prefix + "/var/cache/binpkgs\n" +
                     "  tmpDir: " + prefix + "/var/tmp\n" +
                     "  emerge: " + prefix + "/emerge\n" +
                     "  emergeLog: " + prefix + "/var/log/emerge.log\n",
                     "  deploy: " + SourcePath("hack/fake-portage/deploy-hook.sh") + " " + root +
                         "/state {version}\n",
                     true);
}

bool RealPortageTrustTestCa(const std::string& prefix) {
  const std::string ca = TestPki::Get().ca();
  std::ofstream conf(prefix + "/etc/portage/make.conf", std::ios::app);
  for (const char* var : {"FETCHCOMMAND", "RESUMECOMMAND"}) {
    conf << var << "=\"wget --ca-certificate=" << ca
         << (std::string(var) == "RESUMECOMMAND" ? " -c" : "")
         << " -t 3 -T 60 -O \\\"\\${DISTDIR}/\\${FILE}\\\" \\\"\\${URI}\\\"\"\n";
  }
  return static_cast<bool>(conf.flush());
}

std::vector<std::string> RealPortageEnv() {
  return {"/usr/bin/env", "SSL_CERT_FILE=" + TestPki::Get().ca()};
}

std::string RealPortageTarball() {
  const char* set = getenv("SWARM_PORTAGE_TARBALL");
  if (set && *set) return access(set, R_OK) == 0 ? set : "";
  const std::string shared = SourcePath("../shared/portage/portage-3.0.82.tar.xz");
  return access(shared.c_str(), R_OK) == 0 ? shared : "";
}

CommandOutput RealPortageShell(const std::string& script) {
  return RunCommand({"/bin/bash", "-c",
                     "export SWARM_ROOT=" + SingleQuoted(SourcePath("")) +
                         " SWARM_PORTAGE_TARBALL=" + SingleQuoted(RealPortageTarball()) +
                         " && source \"$SWARM_ROOT/hack/real-portage/lib.sh\" && " + script});
}

namespace {

std::string ConditionOf(const nlohmann::json& object, const std::string& type) {
  if (!object.is_object()) return "";
  for (const auto& c : object["status"]["conditions"]) {
    if (c.value("type", "") == type) return c.value("status", "") + "/" + c.value("reason", "");
  }
  return "";
}

}  // namespace

std::string SwarmHarness::DroneCondition(const std::string& drone, const std::string& type) {
  return ConditionOf(GetJson("/api/v1/drones/" + drone), type);
}

std::string SwarmHarness::SwarmCondition(const std::string& type) {
  return ConditionOf(GetJson("/api/v1/swarm"), type);
}

std::string SwarmYamlHead(const std::string& tree_revision, const std::string& deploy_version,
                          const std::string& discover_on) {
  return "apiVersion: buildswarm.io/v1alpha1\n"
         "kind: Swarm\n"
         "metadata:\n"
         "  name: home\n"
         "spec:\n"
         "  portage:\n"
         "    treeRevision: " +
         tree_revision +
         "\n"
         "  deploy:\n"
         "    version: \"" +
         deploy_version +
         "\"\n"
         "  queue:\n"
         "    discoverOn: " +
         discover_on +
         "\n"
         "    targets: [\"@world\"]\n"
         "  drones:\n";
}

std::string SwarmHarness::WriteReconcileSwarm(const std::string& file,
                                              const std::vector<std::string>& drones,
                                              const std::string& tree_revision,
                                              const std::string& deploy_version,
                                              const std::string& discover_on) {
  std::string yaml = SwarmYamlHead(tree_revision, deploy_version, discover_on);
  for (const auto& d : drones) {
    yaml += "    - name: " + d + "\n";
    if (d == discover_on) yaml += "      roles: [discover]\n";
  }
  yaml +=
      "  policy:\n"
      "    heartbeatInterval: 1s\n"
      "    heartbeatGrace: 5s\n";
  return dir_.Write(file, yaml);
}

std::string SwarmHarness::WriteSwarm(const std::string& file,
                                     const std::vector<std::string>& drones,
                                     const std::string& deploy_version) {
  std::string yaml =
      "apiVersion: buildswarm.io/v1alpha1\n"
      "kind: Swarm\n"
      "metadata:\n"
      "  name: home\n"
      "spec:\n"
      "  portage:\n"
      "    treeRevision: rev-a\n"
      "  deploy:\n"
      "    version: \"" + deploy_version + "\"\n"
      "  drones:\n";
  for (const auto& d : drones) {
    yaml += "    - name: " + d + "\n      labels: {cores: \"4\", memory: 8Gi}\n";
  }
  yaml +=
      "  policy:\n"
      "    heartbeatInterval: 1s\n"
      "    heartbeatGrace: 3s\n";
  return dir_.Write(file, yaml);
}

}  // namespace swarm::testing

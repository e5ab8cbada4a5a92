#include "node-agent/config.h"

#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "base/strings.h"
#include "node-agent/action_executor.h"
#include "tests/node-agent/fake_portage.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::TempDir;
using testing::FakePortagePath;
using ::testing::HasSubstr;
using ::testing::Not;

class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest() { dir_.WriteSecret("token", "s3cr3t-token\nsecond line ignored\n"); }

  Result<AgentConfig> Parse(const std::string& yaml) {
    return ParseAgentConfig(yaml, "agent.yaml", dir_.path());
  }
  // The error message of a config that must be refused.
  std::string Error(const std::string& yaml) {
    auto c = Parse(yaml);
    if (c.ok()) return "<accepted>";
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
    return c.status().message();
  }

  TempDir dir_;
};

constexpr char kMinimal[] =
    "name: drone-izar\n"
    "controller: http://10.0.0.1:8443\n"
    "tokenFile: token\n";

TEST_F(ConfigTest, MinimalConfigGetsGentooDefaults) {
  auto c = Parse(kMinimal);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->name, "drone-izar");
  EXPECT_EQ(c->controller, "http://10.0.0.1:8443");
  EXPECT_EQ(c->token_file, dir_.File("token"));
  EXPECT_EQ(c->token, "s3cr3t-token");
  EXPECT_EQ(c->state_dir, "/var/lib/build-swarm");
  EXPECT_EQ(c->proc_root, "/proc");
  EXPECT_EQ(c->portage.repo_dir, "/var/db/repos/gentoo");
  EXPECT_EQ(c->portage.pkg_dir, "/var/cache/binpkgs");
  EXPECT_EQ(c->portage.tmp_dir, "/var/tmp/portage");
  EXPECT_EQ(c->portage.emerge, "/usr/bin/emerge");
  EXPECT_EQ(c->hooks.sync,
            "git -C /var/db/repos/gentoo fetch --quiet origin && "
            "git -C /var/db/repos/gentoo switch --quiet --detach --end-of-options {revision}");
  EXPECT_EQ(c->hooks.deploy, "");
  EXPECT_EQ(c->hooks.self_check, "/usr/bin/emerge --info");
}

TEST_F(ConfigTest, DefaultHooksFollowTheConfiguredPortage) {
  auto c = Parse(std::string(kMinimal) +
                 "portage:\n"
                 "  repoDir: /srv/gentoo\n"
                 "  emerge: /opt/fake-portage/emerge\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->hooks.sync,
            "git -C /srv/gentoo fetch --quiet origin && "
            "git -C /srv/gentoo switch --quiet --detach --end-of-options {revision}");
  EXPECT_EQ(c->hooks.self_check, "/opt/fake-portage/emerge --info");
}

TEST_F(ConfigTest, EverythingSet) {
  auto c = Parse(std::string(kMinimal) +
                 "stateDir: /srv/state\n"
                 "procRoot: /host/proc\n"
                 "portage:\n"
                 "  repoDir: /srv/gentoo\n"
                 "  pkgDir: /srv/binpkgs\n"
                 "  tmpDir: /srv/tmp\n"
                 "  emerge: emerge\n"
                 "  emergeLog: /srv/log/emerge.log\n"
                 "hooks:\n"
                 "  sync: /usr/local/bin/sync-tree {revision}\n"
                 "  deploy: /usr/local/bin/deploy {version}\n"
                 "  selfCheck: \"\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->state_dir, "/srv/state");
  EXPECT_EQ(c->proc_root, "/host/proc");
  EXPECT_EQ(c->portage.pkg_dir, "/srv/binpkgs");
  EXPECT_EQ(c->portage.tmp_dir, "/srv/tmp");
  EXPECT_EQ(c->portage.emerge, "emerge");
  EXPECT_EQ(c->portage.emerge_log, "/srv/log/emerge.log");
  EXPECT_EQ(ActionSettingsFor(*c).emerge_log, "/srv/log/emerge.log");
  EXPECT_EQ(c->hooks.sync, "/usr/local/bin/sync-tree {revision}");
  EXPECT_EQ(c->hooks.deploy, "/usr/local/bin/deploy {version}");
  EXPECT_EQ(c->hooks.self_check, "");  // switched off explicitly

  ProbePaths p = ProbePathsFor(*c);
  EXPECT_EQ(p.proc_root, "/host/proc");
  EXPECT_EQ(p.state_dir, "/srv/state");
  EXPECT_EQ(p.repo_dir, "/srv/gentoo");
  EXPECT_EQ(p.disk_dirs, (std::vector<std::string>{"/srv/binpkgs", "/srv/tmp"}));
}

TEST_F(ConfigTest, AbsoluteTokenFile) {
  auto c = Parse("name: drone-izar\ncontroller: http://ctl:8443\ntokenFile: " + dir_.File("token") +
                 "\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->token, "s3cr3t-token");
}

TEST_F(ConfigTest, UnknownKeysAreRefusedWithTheirLocation) {
  std::string e = Error(std::string(kMinimal) + "stateDri: /srv/state\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:4:1: stateDri: "));

  e = Error(std::string(kMinimal) + "portage:\n  pkgdir: /srv/binpkgs\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:5:3: portage.pkgdir: "));

  e = Error(std::string(kMinimal) + "hooks:\n  self_check: true\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:5:3: hooks.self_check: "));
}

TEST_F(ConfigTest, WrongTypesAreRefusedWithTheirLocation) {
  std::string e = Error(std::string(kMinimal) + "stateDir: [a, b]\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:4:"));
  EXPECT_THAT(e, HasSubstr("stateDir: "));

  e = Error(std::string(kMinimal) + "portage: /var/db/repos/gentoo\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:4:"));
  EXPECT_THAT(e, HasSubstr("portage: "));

  e = Error(std::string(kMinimal) + "hooks:\n  sync: {cmd: x}\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:5:"));
  EXPECT_THAT(e, HasSubstr("hooks.sync: "));
}

TEST_F(ConfigTest, MissingRequiredKeysAreNamed) {
  std::string e = Error("stateDir: /srv/state\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:1:1: name: required"));
  EXPECT_THAT(e, HasSubstr("agent.yaml:1:1: controller: required"));
  EXPECT_THAT(e, HasSubstr("agent.yaml:1:1: tokenFile: required"));

  e = Error("");
  EXPECT_THAT(e, HasSubstr("name: required"));

  e = Error("name: \"\"\ncontroller: http://ctl:8443\ntokenFile: token\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:1:"));
  EXPECT_THAT(e, HasSubstr("name: expected a non-empty string"));
}

TEST_F(ConfigTest, BadValuesSayWhatWasExpected) {
  std::string e = Error("name: Drone_Izar\ncontroller: http://ctl:8443\ntokenFile: token\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:1:"));
  EXPECT_THAT(e, HasSubstr("name: expected a DNS-1123 label"));

  e = Error("name: drone-izar\ncontroller: ftp://ctl:8443\ntokenFile: token\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:2:"));
  EXPECT_THAT(e, HasSubstr("controller: expected a URL of the form https://HOST:PORT"));

  e = Error(std::string(kMinimal) + "procRoot: proc\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:4:"));
  EXPECT_THAT(e, HasSubstr("procRoot: expected an absolute path"));
}

TEST_F(ConfigTest, EveryErrorIsReportedAtOnce) {
  std::string e = Error(
      "name: Bad_Name\n"
      "controller: ftp://x\n"
      "tokenFile: token\n"
      "colour: blue\n");
  EXPECT_THAT(e, HasSubstr("name:"));
  EXPECT_THAT(e, HasSubstr("controller:"));
  EXPECT_THAT(e, HasSubstr("colour:"));
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 2) << e;
}

TEST_F(ConfigTest, MissingTokenFileIsNamed) {
  std::string e = Error("name: drone-izar\ncontroller: http://ctl:8443\ntokenFile: nope\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:3:"));
  EXPECT_THAT(e, HasSubstr("tokenFile: "));
  EXPECT_THAT(e, HasSubstr(dir_.File("nope")));
}

TEST_F(ConfigTest, EmptyTokenFileIsNamed) {
  dir_.WriteSecret("empty-token", "\n\n");
  std::string e = Error("name: drone-izar\ncontroller: http://ctl:8443\ntokenFile: empty-token\n");
  EXPECT_THAT(e, HasSubstr("agent.yaml:3:"));
  EXPECT_THAT(e, HasSubstr(dir_.File("empty-token")));
  EXPECT_THAT(e, HasSubstr("empty"));
}

TEST_F(ConfigTest, NotAMappingOrNotYaml) {
  EXPECT_THAT(Error("- name: drone-izar\n"), HasSubstr("agent.yaml:1:"));
  EXPECT_THAT(Error("name: [unclosed\n"), HasSubstr("agent.yaml:"));
  EXPECT_THAT(Error(std::string(kMinimal) + "---\nname: other\n"), HasSubstr("one YAML document"));
}

TEST(LoadAgentConfigTest, ReadsTheFileAndResolvesTheTokenBesideIt) {
  TempDir dir;
  dir.WriteSecret("etc/token", "tok\n");
  std::string path = dir.Write("etc/agent.yaml",
                               "name: drone-izar\ncontroller: http://ctl:8443\ntokenFile: token\n");
  auto c = LoadAgentConfig(path);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->token, "tok");
  EXPECT_EQ(c->token_file, dir.File("etc/token"));
}

TEST(LoadAgentConfigTest, ErrorsNameTheFile) {
  TempDir dir;
  auto c = LoadAgentConfig(dir.File("agent.yaml"));
  ASSERT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(c.status().message(), HasSubstr(dir.File("agent.yaml")));

  std::string path = dir.Write("agent.yaml", "name: drone-izar\n");
  c = LoadAgentConfig(path);
  ASSERT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr(path + ":1:1: controller: required"));
}

TEST(ReadTokenFileTest, ATokenFileEveryUserMayReadIsRefused) {
  TempDir dir;
  const std::string path = dir.Write("t", "abc\n");
  chmod(path.c_str(), 0644);
  auto t = ReadTokenFile(path);
  ASSERT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("mode 0644"));
  EXPECT_THAT(t.status().message(), HasSubstr("chmod 600 " + path));
  chmod(path.c_str(), 0640);  // a group of its own may read it
  EXPECT_TRUE(ReadTokenFile(path).ok());
}

TEST_F(ConfigTest, TlsFilesAreResolvedBesideTheConfigAndNeedHttps) {
  dir_.Write("ca.pem", "ca");
  dir_.Write("drone.pem", "cert");
  dir_.WriteSecret("drone.key", "key");
  auto c = Parse(
      "name: drone-izar\ncontroller: https://ctl:8443\ntokenFile: token\n"
      "tls:\n  caFile: ca.pem\n  certFile: drone.pem\n  keyFile: drone.key\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->tls.ca_file, dir_.File("ca.pem"));
  EXPECT_EQ(c->tls.cert_file, dir_.File("drone.pem"));
  EXPECT_EQ(c->tls.key_file, dir_.File("drone.key"));

  std::string e = Error(
      "name: drone-izar\ncontroller: http://ctl:8443\ntokenFile: token\n"
      "tls:\n  caFile: ca.pem\n");
  EXPECT_THAT(e, HasSubstr("tls: TLS files are set, yet the controller URL"));
  e = Error(
      "name: drone-izar\ncontroller: https://ctl:8443\ntokenFile: token\n"
      "tls:\n  certFile: drone.pem\n  caFile: missing.pem\n  color: red\n");
  EXPECT_THAT(e, HasSubstr("tls: certFile and keyFile go together"));
  EXPECT_THAT(e, HasSubstr("tls.caFile: cannot read " + dir_.File("missing.pem")));
  EXPECT_THAT(e, HasSubstr("color"));
  chmod(dir_.File("drone.key").c_str(), 0644);
  e = Error(
      "name: drone-izar\ncontroller: https://ctl:8443\ntokenFile: token\n"
      "tls:\n  certFile: drone.pem\n  keyFile: drone.key\n");
  EXPECT_THAT(e, HasSubstr("tls.keyFile: key file " + dir_.File("drone.key") +
                           " is open to every user"));
}

TEST(ReadTokenFileTest, FirstLineTrimmed) {
  TempDir dir;
  auto t = ReadTokenFile(dir.WriteSecret("t", "  abc \r\nxyz\n"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "abc");
  EXPECT_EQ(ReadTokenFile(dir.WriteSecret("u", "")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(ReadTokenFile(dir.File("none")).status().message(), HasSubstr(dir.File("none")));
}

TEST(HookTest, PlaceholdersAreReplaced) {
  HookValues v{"9fc7a49ad6496faebea1c1d1848199fb6278bcec", "2026.02.05", "=dev-qt/qtbase-6.7.0"};
  EXPECT_EQ(ExpandHook("git checkout {revision}", v),
            "git checkout 9fc7a49ad6496faebea1c1d1848199fb6278bcec");
  EXPECT_EQ(ExpandHook("deploy {version} && echo {version}", v),
            "deploy 2026.02.05 && echo 2026.02.05");
  EXPECT_EQ(ExpandHook("emerge --oneshot {atom}", v), "emerge --oneshot =dev-qt/qtbase-6.7.0");
  EXPECT_EQ(ExpandHook(DefaultSyncHook("/var/db/repos/gentoo"), v),
            "git -C /var/db/repos/gentoo fetch --quiet origin && git -C /var/db/repos/gentoo "
            "switch --quiet --detach --end-of-options 9fc7a49ad6496faebea1c1d1848199fb6278bcec");
}

TEST(HookTest, ValuesAreQuotedForTheShell) {
  HookValues v{"", "1.0; rm -rf /", ">=dev-lang/rust-1.80"};
  EXPECT_EQ(ExpandHook("deploy {version}", v), "deploy '1.0; rm -rf /'");
  EXPECT_EQ(ExpandHook("emerge {atom}", v), "emerge '>=dev-lang/rust-1.80'");
  EXPECT_EQ(ExpandHook("sync {revision}", v), "sync ''");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
}

TEST(HookTest, OtherBracesAreLeftAlone) {
  HookValues v{"abc", "", ""};
  EXPECT_EQ(ExpandHook("echo ${HOME} {rev} {revision", v), "echo ${HOME} {rev} {revision");
  EXPECT_EQ(ExpandHook("{ a; } && b {revision}{revision}", v), "{ a; } && b abcabc");
  EXPECT_THAT(ExpandHook("x", v), Not(HasSubstr("'")));
}

// The default sync hook as the agent runs it (sh -c), on a clone of the fake
// gentoo tree with real git.
class DefaultSyncHookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Run({FakePortagePath("make-tree.sh"), dir_.File("tree")}).exit_code, 0);
    ASSERT_EQ(Run({"git", "clone", "-q", dir_.File("tree"), repo_}).exit_code, 0);
    ASSERT_EQ(Run({"git", "-C", repo_, "checkout", "-q", "--detach", "rev-1"}).exit_code, 0);
  }

  CommandResult Run(std::vector<std::string> argv) {
    CommandSpec spec;
    spec.argv = std::move(argv);
    return RunSpec(std::move(spec));
  }
  CommandResult Sync(const std::string& revision) {
    HookValues values;
    values.revision = revision;
    return RunSpec(ShellCommand(ExpandHook(DefaultSyncHook(repo_), values)));
  }
  std::string RevParse(const std::string& rev) {
    return swarm::Trim(Run({"git", "-C", repo_, "rev-parse", rev}).output);
  }

  TempDir dir_;
  std::string repo_ = dir_.File("repo");

 private:
  CommandResult RunSpec(CommandSpec spec) {
    spec.timeout = std::chrono::seconds(60);
    auto r = runner_.Run(spec);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : CommandResult{};
  }
  ProcessRunner runner_;
};

TEST_F(DefaultSyncHookTest, ChecksOutTheRevision) {
  const std::string rev2 = RevParse("rev-2");
  CommandResult r = Sync(rev2);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(RevParse("HEAD"), rev2);
}

TEST_F(DefaultSyncHookTest, ReadsNoRevisionAsAnOption) {
  // As an option, "--force" would check out HEAD again over the local change.
  const std::string before = RevParse("HEAD");
  dir_.Write("repo/profiles/repo_name", "local change\n");
  CommandResult r = Sync("--force");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("invalid reference: --force"));
  EXPECT_EQ(RevParse("HEAD"), before);
  EXPECT_EQ(swarm::testing::ReadFile(dir_.File("repo/profiles/repo_name")), "local change\n");
}

TEST(HookTest, DefaultSyncHookQuotesOddPaths) {
  EXPECT_EQ(DefaultSyncHook("/srv/my repo"),
            "git -C '/srv/my repo' fetch --quiet origin && "
            "git -C '/srv/my repo' switch --quiet --detach --end-of-options {revision}");
  EXPECT_EQ(DefaultSelfCheckHook("/usr/bin/emerge"), "/usr/bin/emerge --info");
}

TEST(ExampleConfigTest, ExamplesAgentYamlIsValid) {
  const std::string path =
      (std::filesystem::path(__FILE__).parent_path() / "../../examples/agent.yaml").string();
  std::string text = swarm::testing::ReadFile(path);
  ASSERT_FALSE(text.empty()) << path;
  // The example names the token file of a real drone; point it at one here.
  TempDir dir;
  dir.WriteSecret("token", "tok\n");
  const std::string kToken = "tokenFile: /etc/build-swarm/token";
  ASSERT_NE(text.find(kToken), std::string::npos);
  text.replace(text.find(kToken), kToken.size(), "tokenFile: token");
  // And its TLS files.
  for (const std::string name : {"ca.pem", "drone.pem", "drone.key"}) {
    dir.WriteSecret(name, "pem");
    const std::string was = "/etc/build-swarm/" + name;
    ASSERT_NE(text.find(was), std::string::npos) << was;
    text.replace(text.find(was), was.size(), name);
  }

  auto c = ParseAgentConfig(text, path, dir.path());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->name, "drone-izar");
  EXPECT_EQ(c->hooks.sync, DefaultSyncHook(c->portage.repo_dir));
  EXPECT_EQ(c->hooks.self_check, DefaultSelfCheckHook(c->portage.emerge));
  EXPECT_EQ(c->state_dir, AgentConfig{}.state_dir);
  EXPECT_EQ(c->tls.key_file, dir.File("drone.key"));
}

}  // namespace
}  // namespace swarm::agent

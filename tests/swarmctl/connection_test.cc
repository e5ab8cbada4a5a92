#include "swarmctl/connection.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/support/temp_dir.h"

namespace swarm::ctl {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ResolveConnectionTest, DefaultsWithNothingGiven) {
  auto c = ResolveConnection({}, FakeEnv({}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server, "http://127.0.0.1:7800");
  EXPECT_EQ(c->token, "");
}

TEST(ResolveConnectionTest, EnvironmentFillsWhatFlagsLeaveOut) {
  auto env = FakeEnv({{"SWARMCTL_SERVER", "http://ctl:9000"}, {"SWARMCTL_TOKEN", "envtok\n"}});
  auto c = ResolveConnection({}, env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server, "http://ctl:9000");
  EXPECT_EQ(c->token, "envtok");

  ConnectionFlags flags;
  flags.server = "http://flag:1";
  flags.token = "flagtok";
  c = ResolveConnection(flags, env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server, "http://flag:1");
  EXPECT_EQ(c->token, "flagtok");
}

TEST(ResolveConnectionTest, TokenFileGivesItsFirstLine) {
  swarm::testing::TempDir dir;
  ConnectionFlags flags;
  flags.token_file = dir.Write("token", "  s3cret \nsecond line\n");
  auto c = ResolveConnection(flags, FakeEnv({{"SWARMCTL_TOKEN", "envtok"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->token, "s3cret");
}

TEST(ResolveConnectionTest, RefusesBadTokenSources) {
  swarm::testing::TempDir dir;
  ConnectionFlags flags;
  flags.token_file = dir.File("missing");
  auto c = ResolveConnection(flags, FakeEnv({}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("cannot read token file " + dir.File("missing")),
            std::string::npos);

  flags.token_file = dir.Write("empty", "\n");
  c = ResolveConnection(flags, FakeEnv({}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("has no token"), std::string::npos);

  flags.token = "t";
  c = ResolveConnection(flags, FakeEnv({}));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "--token and --token-file are mutually exclusive");
}

TEST(ResolveConnectionTest, TheConfigFileFillsWhatFlagsAndEnvironmentLeaveOut) {
  swarm::testing::TempDir dir;
  dir.WriteSecret("etc/admin.token", "cfgtok\n");
  const std::string config = dir.Write("etc/config.yaml",
                                       "server: https://ctl.example:7800\n"
                                       "tokenFile: admin.token\n"
                                       "certificateAuthority: pki/ca.pem\n"
                                       "clientCertificate: /abs/admin.pem\n"
                                       "clientKey: pki/admin.key\n");
  auto c = ResolveConnection({}, FakeEnv({{"SWARMCTL_CONFIG", config}}));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server, "https://ctl.example:7800");
  EXPECT_EQ(c->token, "cfgtok");
  EXPECT_EQ(c->tls.ca_file, dir.File("etc/pki/ca.pem"));
  EXPECT_EQ(c->tls.cert_file, "/abs/admin.pem");
  EXPECT_EQ(c->tls.key_file, dir.File("etc/pki/admin.key"));

  // Flags and environment go first.
  ConnectionFlags flags;
  flags.certificate_authority = "/flag/ca.pem";
  c = ResolveConnection(flags, FakeEnv({{"SWARMCTL_CONFIG", config},
                                        {"SWARMCTL_SERVER", "https://env:1"},
                                        {"SWARMCTL_TOKEN", "envtok"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server, "https://env:1");
  EXPECT_EQ(c->token, "envtok");
  EXPECT_EQ(c->tls.ca_file, "/flag/ca.pem");
  EXPECT_EQ(c->tls.key_file, dir.File("etc/pki/admin.key"));

  // Without $SWARMCTL_CONFIG, the one under $HOME.
  dir.Write("home/.config/build-swarm/config.yaml", "server: https://home:2\n");
  c = ResolveConnection({}, FakeEnv({{"HOME", dir.File("home")}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server, "https://home:2");
  c = ResolveConnection({}, FakeEnv({{"HOME", dir.File("nobody")}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server, kDefaultServer);
}

TEST(ResolveConnectionTest, ABadConfigFileIsAnErrorNamingWhere) {
  swarm::testing::TempDir dir;
  auto c = ResolveConnection({}, FakeEnv({{"SWARMCTL_CONFIG", dir.File("missing.yaml")}}));
  ASSERT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find(dir.File("missing.yaml")), std::string::npos);

  const std::string config = dir.Write("config.yaml", "server: https://x:1\ntoken: inline\n");
  c = ResolveConnection({}, FakeEnv({{"SWARMCTL_CONFIG", config}}));
  ASSERT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find(config + ":2:"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("token"), std::string::npos);
}

TEST(ClearTextWarningTest, OnlyATokenSentInClearOverANetwork) {
  EXPECT_NE(ClearTextWarning({"http://ctl.example:7800", "tok", {}}).find("clear text"),
            std::string::npos);
  EXPECT_EQ(ClearTextWarning({"https://ctl.example:7800", "tok", {}}), "");
  EXPECT_EQ(ClearTextWarning({"http://127.0.0.1:7800", "tok", {}}), "");
  EXPECT_EQ(ClearTextWarning({"http://localhost:7800", "tok", {}}), "");
  EXPECT_EQ(ClearTextWarning({"http://ctl.example:7800", "", {}}), "");
}

}  // namespace
}  // namespace swarm::ctl

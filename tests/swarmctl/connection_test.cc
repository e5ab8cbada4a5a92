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

}  // namespace
}  // namespace swarm::ctl

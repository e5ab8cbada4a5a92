#include "controller/server/auth.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

TEST(TokenAuthenticatorTest, ParsesTokensSkippingCommentsAndBlankLines) {
  auto auth = TokenAuthenticator::Parse(
      "# token,name,role\n\nadmintok,admin,admin\n  agenttok , drone-izar , agent \n", "tokens.csv");
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  EXPECT_EQ(auth->size(), 2u);

  auto admin = auth->Authenticate("Bearer admintok");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->name, "admin");
  EXPECT_EQ(admin->role, Role::kAdmin);

  auto agent = auth->Authenticate("Bearer agenttok");
  ASSERT_TRUE(agent.ok());
  EXPECT_EQ(agent->name, "drone-izar");
  EXPECT_EQ(agent->role, Role::kAgent);
}

TEST(TokenAuthenticatorTest, RejectsBadCredentials) {
  auto auth = TokenAuthenticator::Parse("tok,admin,admin\n", "tokens.csv");
  ASSERT_TRUE(auth.ok());
  struct Case {
    const char* header;
    const char* want;
  } cases[] = {
      {"", "no Authorization header"},
      {"Basic dG9rOg==", "not \"Bearer <token>\""},
      {"Bearer nope", "unknown token"},
      {"Bearer tok2", "unknown token"},
      {"Bearer to", "unknown token"},
  };
  for (const auto& c : cases) {
    auto who = auth->Authenticate(c.header);
    ASSERT_FALSE(who.ok()) << c.header;
    EXPECT_EQ(who.status().code(), StatusCode::kUnauthenticated);
    EXPECT_NE(who.status().message().find(c.want), std::string::npos) << who.status().message();
  }
}

TEST(TokenAuthenticatorTest, BadLinesNameTheLine) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"tok,admin\n", "tokens.csv:1: expected 3 comma-separated fields"},
      {"a,b,admin\ntok,drone,agent,extra\n", "tokens.csv:2: expected 3"},
      {"tok,,agent\n", "tokens.csv:1: token, name and role must all be non-empty"},
      {"# c\ntok,x,root\n", "tokens.csv:2: role \"root\" is not admin, agent or viewer"},
      {"tok,a,admin\ntok,b,agent\n", "tokens.csv:2: token repeats an earlier line"},
      {"# nothing\n", "tokens.csv: no tokens"},
  };
  for (const auto& c : cases) {
    auto auth = TokenAuthenticator::Parse(c.text, "tokens.csv");
    ASSERT_FALSE(auth.ok()) << c.text;
    EXPECT_EQ(auth.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(auth.status().message().find(c.want), std::string::npos) << auth.status().message();
  }
}

TEST(TokenAuthenticatorTest, MissingFileIsUnavailable) {
  auto auth = TokenAuthenticator::LoadFile("/nonexistent/tokens.csv");
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(auth.status().message().find("/nonexistent/tokens.csv"), std::string::npos);
}

TEST(TokenFileTest, ReloadRevokesATokenAndKeepsTheOldSetOnError) {
  testing::TempDir dir;
  const std::string path = dir.WriteSecret("tokens.csv", "old,admin,admin\nizar,drone-izar,agent\n");
  auto file = TokenFile::Load(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  std::shared_ptr<const TokenAuthenticator> before = (*file)->Current();
  EXPECT_TRUE(before->Authenticate("Bearer izar").ok());

  dir.WriteSecret("tokens.csv", "new,admin,admin\n");
  ASSERT_TRUE((*file)->Reload().ok());
  EXPECT_EQ((*file)->Current()->Authenticate("Bearer izar").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_TRUE((*file)->Current()->Authenticate("Bearer new").ok());
  // A request that began before the reload keeps the set it started with.
  EXPECT_TRUE(before->Authenticate("Bearer izar").ok());

  dir.WriteSecret("tokens.csv", "broken line\n");
  Status bad = (*file)->Reload();
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find(path + ":1:"), std::string::npos) << bad.message();
  EXPECT_TRUE((*file)->Current()->Authenticate("Bearer new").ok());

  dir.WriteSecret("tokens.csv", "newer,admin,admin\n");
  chmod(path.c_str(), 0644);
  bad = (*file)->Reload();
  EXPECT_NE(bad.message().find("open to every user"), std::string::npos) << bad.message();
  EXPECT_TRUE((*file)->Current()->Authenticate("Bearer new").ok());
}

TEST(TokenFileTest, AFileEveryUserMayReadIsRefusedAtStart) {
  testing::TempDir dir;
  const std::string path = dir.Write("tokens.csv", "tok,admin,admin\n");
  chmod(path.c_str(), 0604);
  auto file = TokenFile::Load(path);
  ASSERT_EQ(file.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(file.status().message().find("chmod 600 " + path), std::string::npos);
}

TEST(AuthFailuresTest, APeerThatKeepsFailingIsSlowedAndForgottenWhenItStops) {
  FakeClock clock;
  AuthFailures failures(&clock);
  for (int i = 1; i <= AuthFailures::kFreeFailures; ++i) {
    auto v = failures.Fail("10.0.0.9");
    EXPECT_EQ(v.failures, static_cast<uint64_t>(i));
    EXPECT_EQ(v.delay.count(), 0);
  }
  EXPECT_EQ(failures.Fail("10.0.0.9").delay, AuthFailures::kFirstDelay);
  EXPECT_EQ(failures.Fail("10.0.0.9").delay, 2 * AuthFailures::kFirstDelay);
  EXPECT_EQ(failures.Fail("10.0.0.9").delay, 4 * AuthFailures::kFirstDelay);
  for (int i = 0; i < 40; ++i) failures.Fail("10.0.0.9");
  EXPECT_EQ(failures.Fail("10.0.0.9").delay, AuthFailures::kMaxDelay);
  // Another address is not slowed for this one's failures.
  EXPECT_EQ(failures.Fail("10.0.0.7").delay.count(), 0);

  clock.Advance(AuthFailures::kForgetAfter + std::chrono::seconds(1));
  auto after = failures.Fail("10.0.0.9");
  EXPECT_EQ(after.failures, 1u);
  EXPECT_EQ(after.delay.count(), 0);
  EXPECT_EQ(failures.total(), 3u + 3u + 40u + 1u + 1u + 1u);
}

TEST(AuthorizeTest, AgentsActOnlyAsTheirDrone) {
  Identity admin{"admin", Role::kAdmin};
  Identity izar{"drone-izar", Role::kAgent};
  EXPECT_TRUE(AuthorizeAdmin(admin).ok());
  EXPECT_EQ(AuthorizeAdmin(izar).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(AuthorizeDrone(izar, "drone-izar").ok());
  EXPECT_TRUE(AuthorizeDrone(admin, "drone-izar").ok());
  Status other = AuthorizeDrone(izar, "drone-tarn");
  EXPECT_EQ(other.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(other.message().find("cannot act as drone \"drone-tarn\""), std::string::npos);
}

TEST(AuthorizeTest, AViewerReadsAndNothingElseWhateverItsName) {
  auto parsed = TokenAuthenticator::Parse("t1,drone-izar,viewer\n", "tokens.csv");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto who = parsed->Authenticate("Bearer t1");
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->role, Role::kViewer);
  EXPECT_TRUE(AuthorizeRead(*who).ok());
  EXPECT_TRUE(AuthorizeRead(Identity{"admin", Role::kAdmin}).ok());
  EXPECT_EQ(AuthorizeRead(Identity{"drone-izar", Role::kAgent}).code(),
            StatusCode::kPermissionDenied);
  Status admin = AuthorizeAdmin(*who);
  EXPECT_EQ(admin.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(admin.message().find("is a viewer"), std::string::npos) << admin.message();
  // Named as a drone, it still cannot heartbeat or report as that drone.
  EXPECT_EQ(AuthorizeDrone(*who, "drone-izar").code(), StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace swarm::controller

#include "controller/server/auth.h"

#include <gtest/gtest.h>

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
      {"# c\ntok,x,root\n", "tokens.csv:2: role \"root\" is not admin or agent"},
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

}  // namespace
}  // namespace swarm::controller

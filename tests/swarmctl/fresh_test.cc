#include "swarmctl/fresh.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned_reconciled.h"
#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::FakeApi;

class FreshTest : public ::testing::Test {
 protected:
  int Run() { return RunFresh(api_, out_, err_); }

  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(FreshTest, PostsAnEmptyObjectAndSaysWhatWasSetInMotion) {
  api_.Reply("POST", "/api/v1/swarm/fresh", 200, testing::kFreshReply);
  ASSERT_EQ(Run(), 0) << err_.str();
  ASSERT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(api_.requests()[0].method, "POST");
  EXPECT_EQ(api_.requests()[0].body, "{}");
  EXPECT_EQ(out_.str(),
            "fresh start requested at 2026-02-05T16:30:00Z:\n"
            "  re-sync the portage tree on 3 members: desktop, drone-izar, drone-meridian\n"
            "  discard the queue (149 packages) and discover it again\n"
            "  clear every grounding\n"
            "watch it with: swarmctl status\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(FreshTest, OneMemberOnePackage) {
  api_.Reply("POST", "/api/v1/swarm/fresh", 200,
             R"({"requestedAt": "2026-02-05T16:30:00Z", "members": ["desktop"],)"
             R"( "queuedPackages": 1})");
  ASSERT_EQ(Run(), 0);
  EXPECT_EQ(out_.str(),
            "fresh start requested at 2026-02-05T16:30:00Z:\n"
            "  re-sync the portage tree on 1 member: desktop\n"
            "  discard the queue (1 package) and discover it again\n"
            "  clear every grounding\n"
            "watch it with: swarmctl status\n");
}

TEST_F(FreshTest, NoMembersAndNoCount) {
  api_.Reply("POST", "/api/v1/swarm/fresh", 200,
             R"({"requestedAt": "2026-02-05T16:30:00Z", "members": []})");
  ASSERT_EQ(Run(), 0);
  EXPECT_EQ(out_.str(),
            "fresh start requested at 2026-02-05T16:30:00Z:\n"
            "  re-sync the portage tree on 0 members\n"
            "  discard the queue and discover it again\n"
            "  clear every grounding\n"
            "watch it with: swarmctl status\n");
}

TEST_F(FreshTest, ErrorsAreOneLine) {
  api_.Reply("POST", "/api/v1/swarm/fresh", 404,
             R"({"kind":"Status","status":"Failure","code":404,"reason":"NotFound",)"
             R"("message":"no Swarm applied yet"})");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: 404 Not Found: no Swarm applied yet\n");

  err_.str("");
  api_.Reply("POST", "/api/v1/swarm/fresh", 403,
             R"({"kind":"Status","message":"drone-izar may only send its own heartbeat"})");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(err_.str(), "error: 403 Forbidden: drone-izar may only send its own heartbeat\n");

  err_.str("");
  api_.Fail("POST", "/api/v1/swarm/fresh", Unavailable("cannot reach http://127.0.0.1:7800"));
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(err_.str(), "error: cannot reach http://127.0.0.1:7800\n");
}

TEST_F(FreshTest, AReplyWithoutRequestedAtIsAnError) {
  api_.Reply("POST", "/api/v1/swarm/fresh", 200, R"({"members": ["desktop"]})");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(),
            "error: unexpected reply to POST /api/v1/swarm/fresh: no \"requestedAt\"\n");
}

}  // namespace
}  // namespace swarm::ctl

#include "swarmctl/release_verbs.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned_releases.h"
#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::FakeApi;

const std::string kPromotePath =
    std::string("/api/v1/releases/") + testing::kLatestRelease + "/promote";

// A release as promote and rollback reply with it: without packages.
std::string ReleaseReply(size_t index, bool promoted) {
  return api::ReleaseToJson(testing::CannedReleases()[index], promoted, false).dump();
}

class ReleaseVerbsTest : public ::testing::Test {
 protected:
  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ReleaseVerbsTest, Promote) {
  api_.Reply("POST", kPromotePath, 200, ReleaseReply(2, true));
  ASSERT_EQ(RunPromote(testing::kLatestRelease, api_, out_, err_), 0) << err_.str();
  EXPECT_EQ(out_.str(), "release/2026-02-05T0400Z-b001a823 promoted\n");
  EXPECT_EQ(err_.str(), "");
  ASSERT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(api_.requests()[0].method, "POST");
  EXPECT_EQ(api_.requests()[0].path, kPromotePath);
}

TEST_F(ReleaseVerbsTest, PromoteEscapesTheName) {
  api_.Reply(
      "POST", "/api/v1/releases/a%2Fb/promote", 404,
      R"({"kind":"Status","code":404,"reason":"NotFound","message":"release \"a/b\" not found"})");
  EXPECT_EQ(RunPromote("a/b", api_, out_, err_), 1);
  EXPECT_EQ(err_.str().rfind("error: ", 0), 0u);
  EXPECT_NE(err_.str().find("release \"a/b\" not found"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
}

TEST_F(ReleaseVerbsTest, PromoteRefusedIsTheServersConflict) {
  api_.Reply(
      "POST", kPromotePath, 409,
      R"({"kind":"Status","code":409,"reason":"Conflict",)"
      R"("message":"release 2026-02-05T0400Z-b001a823 has a file that fails verification"})");
  EXPECT_EQ(RunPromote(testing::kLatestRelease, api_, out_, err_), 1);
  EXPECT_NE(err_.str().find("has a file that fails verification"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
}

TEST_F(ReleaseVerbsTest, AReplyThatContradictsThePromotionIsAnError) {
  api_.Reply("POST", kPromotePath, 200, ReleaseReply(2, false));
  EXPECT_EQ(RunPromote(testing::kLatestRelease, api_, out_, err_), 1);
  EXPECT_EQ(err_.str(), "error: POST " + kPromotePath +
                            " succeeded, but the reply shows release/2026-02-05T0400Z-b001a823 "
                            "not promoted\n");
  err_.str("");
  api_.Reply("POST", kPromotePath, 200, ReleaseReply(1, true));
  EXPECT_EQ(RunPromote(testing::kLatestRelease, api_, out_, err_), 1);
  EXPECT_EQ(err_.str(), "error: POST " + kPromotePath +
                            " succeeded, but the reply is release/2026-02-04T0300Z-9fc7a49a, "
                            "not release/2026-02-05T0400Z-b001a823\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(ReleaseVerbsTest, PromoteNeedsAName) {
  EXPECT_EQ(RunPromote("", api_, out_, err_), 2);
  EXPECT_EQ(err_.str(), "error: promote needs a release name\n");
  EXPECT_TRUE(api_.requests().empty());
}

TEST_F(ReleaseVerbsTest, Rollback) {
  api_.Reply("POST", "/api/v1/rollback", 200, ReleaseReply(0, true));
  ASSERT_EQ(RunRollback(api_, out_, err_), 0) << err_.str();
  EXPECT_EQ(out_.str(), "rolled back to release/2026-02-03T0200Z-9fc7a49a\n");
  ASSERT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(api_.requests()[0].method, "POST");
}

TEST_F(ReleaseVerbsTest, NothingToRollBackTo) {
  api_.Reply("POST", "/api/v1/rollback", 409,
             R"({"kind":"Status","code":409,"reason":"FailedPrecondition",)"
             R"("message":"no release before 2026-02-03T0200Z-9fc7a49a to go back to"})");
  EXPECT_EQ(RunRollback(api_, out_, err_), 1);
  EXPECT_NE(err_.str().find("no release before 2026-02-03T0200Z-9fc7a49a to go back to"),
            std::string::npos)
      << err_.str();
  EXPECT_EQ(out_.str(), "");
}

TEST_F(ReleaseVerbsTest, ARollbackReplyWithoutAReleaseIsAnError) {
  api_.Reply("POST", "/api/v1/rollback", 200, R"({"message": "ok"})");
  EXPECT_EQ(RunRollback(api_, out_, err_), 1);
  EXPECT_EQ(err_.str(), "error: unexpected reply to POST /api/v1/rollback: no metadata.name\n");
}

}  // namespace
}  // namespace swarm::ctl

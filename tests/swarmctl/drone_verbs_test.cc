#include "swarmctl/drone_verbs.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::FakeApi;

constexpr char kNotInRoster[] =
    R"({"kind":"Status","status":"Failure","code":404,"reason":"NotFound",)"
    R"("message":"drone \"ghost\" is not in the roster of swarm/home"})";

class DroneVerbsTest : public ::testing::Test {
 protected:
  DroneVerbsTest() : izar_(Json::parse(testing::kIzar)), tarn_(Json::parse(testing::kTarn)) {}

  int Run(DroneVerb verb, const std::string& name) {
    return RunDroneVerb(verb, name, api_, out_, err_);
  }
  // The drone as GET returns it before the verb, and as the verb's reply.
  void Serve(const std::string& name, const Json& before, const std::string& verb,
             const Json& after) {
    api_.Reply("GET", "/api/v1/drones/" + name, 200, before.dump());
    api_.Reply("POST", "/api/v1/drones/" + name + "/" + verb, 200, after.dump());
  }

  Json izar_;  // Ready, not cordoned, nothing assigned
  Json tarn_;  // Ready, cordoned and grounded
  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(DroneVerbsTest, Cordon) {
  Json after = izar_;
  after["status"]["cordoned"] = true;
  Serve("drone-izar", izar_, "cordon", after);
  ASSERT_EQ(Run(DroneVerb::kCordon, "drone-izar"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "drone/drone-izar cordoned\n");
  EXPECT_EQ(err_.str(), "");
  ASSERT_EQ(api_.requests().size(), 2u);
  EXPECT_EQ(api_.requests()[0].method, "GET");
  EXPECT_EQ(api_.requests()[1].method, "POST");
  EXPECT_EQ(api_.requests()[1].path, "/api/v1/drones/drone-izar/cordon");
  EXPECT_EQ(api_.requests()[1].body, "{}");
}

TEST_F(DroneVerbsTest, CordonAndUncordonTwiceWriteNothing) {
  api_.Reply("GET", "/api/v1/drones/drone-tarn", 200, tarn_.dump());
  api_.Reply("GET", "/api/v1/drones/drone-izar", 200, izar_.dump());
  ASSERT_EQ(Run(DroneVerb::kCordon, "drone-tarn"), 0) << err_.str();
  ASSERT_EQ(Run(DroneVerb::kUncordon, "drone-izar"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "drone/drone-tarn already cordoned\ndrone/drone-izar already uncordoned\n");
  for (const auto& r : api_.requests()) EXPECT_EQ(r.method, "GET") << r.path;
}

TEST_F(DroneVerbsTest, Uncordon) {
  Json after = tarn_;
  after["status"]["cordoned"] = false;
  Serve("drone-tarn", tarn_, "uncordon", after);
  ASSERT_EQ(Run(DroneVerb::kUncordon, "drone-tarn"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "drone/drone-tarn uncordoned\n");
  EXPECT_EQ(api_.requests().back().path, "/api/v1/drones/drone-tarn/uncordon");
}

TEST_F(DroneVerbsTest, DrainNamesTheBuildsReturnedToTheQueue) {
  Json before = izar_;
  before["status"]["assignments"] = {"dev-libs/openssl-3.3.3", "net-misc/curl-8.11.1"};
  Json after = izar_;
  after["status"]["cordoned"] = true;
  Serve("drone-izar", before, "drain", after);
  ASSERT_EQ(Run(DroneVerb::kDrain, "drone-izar"), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "drone/drone-izar drained (2 builds returned to the queue: dev-libs/openssl-3.3.3, "
            "net-misc/curl-8.11.1)\n");

  out_.str("");
  before["status"]["assignments"] = {"dev-libs/openssl-3.3.3"};
  Serve("drone-izar", before, "drain", after);
  ASSERT_EQ(Run(DroneVerb::kDrain, "drone-izar"), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "drone/drone-izar drained (1 build returned to the queue: dev-libs/openssl-3.3.3)\n");
}

TEST_F(DroneVerbsTest, DrainOfAnIdleOrCordonedDroneStillPosts) {
  Json after = tarn_;
  Serve("drone-tarn", tarn_, "drain", after);
  ASSERT_EQ(Run(DroneVerb::kDrain, "drone-tarn"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "drone/drone-tarn drained (no builds were assigned to it)\n");
  EXPECT_EQ(api_.requests().back().path, "/api/v1/drones/drone-tarn/drain");
}

TEST_F(DroneVerbsTest, DrainClaimsNoCountTheRepliesDoNotGive) {
  Json before = izar_;
  before["status"]["assignments"] = {"dev-libs/openssl-3.3.3"};
  Json after = izar_;
  after["status"].erase("assignments");
  after["status"]["cordoned"] = true;
  Serve("drone-izar", before, "drain", after);
  ASSERT_EQ(Run(DroneVerb::kDrain, "drone-izar"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "drone/drone-izar drained\n");

  // What the controller kept is said, not hidden.
  out_.str("");
  before["status"]["assignments"] = {"dev-libs/openssl-3.3.3", "net-misc/curl-8.11.1"};
  after["status"]["assignments"] = {"net-misc/curl-8.11.1"};
  Serve("drone-izar", before, "drain", after);
  ASSERT_EQ(Run(DroneVerb::kDrain, "drone-izar"), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "drone/drone-izar drained (1 build returned to the queue: dev-libs/openssl-3.3.3; "
            "still assigned: net-misc/curl-8.11.1)\n");
}

TEST_F(DroneVerbsTest, Unground) {
  Json after = tarn_;
  after["status"]["conditions"][1] = {{"type", "Grounded"},
                                      {"status", "False"},
                                      {"reason", "UngroundedByHand"},
                                      {"message", "ungrounded by swarmctl unground"},
                                      {"lastTransitionTime", "2026-02-05T10:30:05Z"}};
  after["status"]["consecutiveFailures"] = 0;
  Serve("drone-tarn", tarn_, "unground", after);
  ASSERT_EQ(Run(DroneVerb::kUnground, "drone-tarn"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "drone/drone-tarn ungrounded\n");
  EXPECT_EQ(api_.requests().back().path, "/api/v1/drones/drone-tarn/unground");
}

TEST_F(DroneVerbsTest, UngroundSaysWhatItFound) {
  Json before = izar_;
  before["status"]["consecutiveFailures"] = 2;
  Serve("drone-izar", before, "unground", izar_);
  ASSERT_EQ(Run(DroneVerb::kUnground, "drone-izar"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "drone/drone-izar was not grounded; its failure count (2) was reset\n");

  out_.str("");
  Serve("drone-izar", izar_, "unground", izar_);
  ASSERT_EQ(Run(DroneVerb::kUnground, "drone-izar"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "drone/drone-izar was not grounded\n");

  out_.str("");
  Json probation = tarn_;
  probation["status"]["conditions"][1]["status"] = "False";
  probation["status"]["conditions"][1]["reason"] = "Probation";
  Serve("drone-tarn", probation, "unground", izar_);
  ASSERT_EQ(Run(DroneVerb::kUnground, "drone-tarn"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "drone/drone-tarn ungrounded (it was on probation)\n");
}

TEST_F(DroneVerbsTest, ADroneOutsideTheRosterIsOneLineAndNothingIsPosted) {
  api_.Reply("GET", "/api/v1/drones/ghost", 404, kNotInRoster);
  for (DroneVerb verb :
       {DroneVerb::kCordon, DroneVerb::kUncordon, DroneVerb::kDrain, DroneVerb::kUnground}) {
    err_.str("");
    EXPECT_EQ(Run(verb, "ghost"), 1) << DroneVerbName(verb);
    EXPECT_EQ(err_.str(),
              "error: 404 Not Found: drone \"ghost\" is not in the roster of swarm/home\n");
  }
  EXPECT_EQ(out_.str(), "");
  for (const auto& r : api_.requests()) EXPECT_EQ(r.method, "GET") << r.path;
}

TEST_F(DroneVerbsTest, FailedPostsAreOneLine) {
  api_.Reply("GET", "/api/v1/drones/drone-izar", 200, izar_.dump());
  api_.Reply("POST", "/api/v1/drones/drone-izar/drain", 403,
             R"({"kind":"Status","status":"Failure","code":403,"reason":"Forbidden",)"
             R"("message":"drone-izar may only send its own heartbeat"})");
  EXPECT_EQ(Run(DroneVerb::kDrain, "drone-izar"), 1);
  EXPECT_EQ(err_.str(), "error: 403 Forbidden: drone-izar may only send its own heartbeat\n");

  err_.str("");
  api_.Fail("POST", "/api/v1/drones/drone-izar/cordon",
            Unavailable("cannot reach http://127.0.0.1:7800: Connection"));
  EXPECT_EQ(Run(DroneVerb::kCordon, "drone-izar"), 1);
  EXPECT_EQ(err_.str(), "error: cannot reach http://127.0.0.1:7800: Connection\n");

  err_.str("");
  api_.Reply("POST", "/api/v1/drones/drone-izar/unground", 200, "<html>ok</html>");
  EXPECT_EQ(Run(DroneVerb::kUnground, "drone-izar"), 1);
  EXPECT_EQ(err_.str(),
            "error: unexpected reply to POST /api/v1/drones/drone-izar/unground: not JSON: "
            "\"<html>ok</html>\"\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(DroneVerbsTest, AReplyThatContradictsTheVerbIsAnError) {
  Serve("drone-izar", izar_, "cordon", izar_);  // still cordoned: false
  EXPECT_EQ(Run(DroneVerb::kCordon, "drone-izar"), 1);
  EXPECT_EQ(err_.str(),
            "error: POST /api/v1/drones/drone-izar/cordon succeeded, but the reply shows "
            "drone-izar not cordoned\n");
  EXPECT_EQ(out_.str(), "");

  err_.str("");
  Serve("drone-tarn", tarn_, "uncordon", tarn_);
  EXPECT_EQ(Run(DroneVerb::kUncordon, "drone-tarn"), 1);
  EXPECT_EQ(err_.str(),
            "error: POST /api/v1/drones/drone-tarn/uncordon succeeded, but the reply shows "
            "drone-tarn still cordoned\n");
}

TEST_F(DroneVerbsTest, OddRepliesDoNotCrash) {
  api_.Reply("GET", "/api/v1/drones/odd", 200, R"({"status": {"assignments": [1, {"a": 2}]}})");
  api_.Reply("POST", "/api/v1/drones/odd/drain", 200,
             R"({"status": {"assignments": null, "cordoned": "yes"}})");
  api_.Reply("POST", "/api/v1/drones/odd/unground", 200, R"({"status": []})");
  EXPECT_EQ(Run(DroneVerb::kDrain, "odd"), 0) << err_.str();
  EXPECT_EQ(Run(DroneVerb::kUnground, "odd"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "drone/odd drained\ndrone/odd was not grounded\n");
}

TEST_F(DroneVerbsTest, NamesAreEscapedAndAnEmptyOneIsAUsageError) {
  api_.Reply("GET", "/api/v1/drones/drone%20x", 404, kNotInRoster);
  EXPECT_EQ(Run(DroneVerb::kCordon, "drone x"), 1);
  EXPECT_EQ(api_.requests().back().path, "/api/v1/drones/drone%20x");

  err_.str("");
  const size_t sent = api_.requests().size();
  EXPECT_EQ(Run(DroneVerb::kDrain, ""), 2);
  EXPECT_EQ(err_.str(), "error: drain needs a drone name\n");
  EXPECT_EQ(api_.requests().size(), sent);
}

}  // namespace
}  // namespace swarm::ctl

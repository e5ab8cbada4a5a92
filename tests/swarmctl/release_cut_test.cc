#include "swarmctl/release_cut.h"

#include <gtest/gtest.h>

#include <sstream>

#include "swarmctl/watch.h"
#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/canned_releases.h"
#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;
using testing::FakeApi;

constexpr char kSwarmEvents[] = "/api/v1/events?kind=Swarm&limit=1000";
constexpr char kAccepted[] =
    R"({"message": "a release will be cut from the 3 packages published"})";

// An event as the API writes it.
Json CutEvent(int id, const std::string& kind, const std::string& name, const std::string& reason,
              const std::string& message, int count = 1,
              const std::string& last = "2026-02-05T10:30:06Z") {
  return {{"id", id},
          {"involvedObject", {{"kind", kind}, {"name", name}}},
          {"type", reason == "ReleaseRefused" ? "Warning" : "Normal"},
          {"reason", reason},
          {"message", message},
          {"count", count},
          {"firstTimestamp", "2026-02-05T09:00:00Z"},
          {"lastTimestamp", last}};
}

// The refusal the Swarm already had before the request.
Json OldRefusal(int count = 1, const std::string& last = "2026-02-05T09:00:00Z") {
  return CutEvent(12, "Swarm", "home", "ReleaseRefused",
                  "no release was cut: nothing is published yet", count, last);
}

std::string EventList(const std::string& version, const std::vector<Json>& events) {
  return Json({{"kind", "EventList"},
               {"metadata", {{"resourceVersion", version}}},
               {"items", events}})
      .dump();
}

std::string WatchReply(const std::string& version, const std::vector<Json>& events,
                       const std::string& type = "ADDED") {
  Json items = Json::array();
  for (const Json& e : events) items.push_back({{"type", type}, {"object", e}});
  return Json({{"kind", "WatchEventList"},
               {"metadata", {{"resourceVersion", version}}},
               {"items", items}})
      .dump();
}

// The list before the cut: the latest release not there yet.
std::string ListBefore() {
  Json list = Json::parse(testing::CannedReleaseList());
  list["items"].erase(2);
  return list.dump();
}

class ReleaseCutTest : public ::testing::Test {
 protected:
  ReleaseCutTest() {
    api_.Reply("POST", "/api/v1/releases", 202, kAccepted);
    api_.Reply("GET", kSwarmEvents, 200, EventList("6fe6c918.60", {OldRefusal()}));
    api_.ReplyOnce("GET", "/api/v1/releases", 200, ListBefore());
    // Then, listed again, the latest one is there.
    api_.Reply("GET", "/api/v1/releases", 200, testing::CannedReleaseList());
  }

  int Run(bool wait, const std::string& timeout = "") {
    return RunReleaseCut({wait, timeout}, api_, clock_, out_, err_);
  }
  static std::string Watch(const std::string& version, int seconds = kWatchSeconds) {
    return WatchPath(kEventsPath, version, seconds);
  }

  FakeClock clock_{CannedNow()};
  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ReleaseCutTest, WithoutWaitItPostsAndPrintsTheMessage) {
  ASSERT_EQ(Run(false), 0) << err_.str();
  EXPECT_EQ(out_.str(), "a release will be cut from the 3 packages published\n");
  ASSERT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(api_.requests()[0].method, "POST");
  EXPECT_EQ(api_.requests()[0].path, "/api/v1/releases");
  EXPECT_EQ(api_.requests()[0].body, "");
}

TEST_F(ReleaseCutTest, WaitsUntilANewReleaseIsListed) {
  // A build's event wakes the watch but says nothing of releases: no listing.
  api_.ReplyOnce("GET", Watch("6fe6c918.60"), 200,
                 WatchReply("6fe6c918.61", {CutEvent(40, "Package", "app-misc/hello-2.12",
                                                     "BuildSucceeded", "built on drone-izar")}));
  api_.ReplyOnce("GET", Watch("6fe6c918.61"), 200,
                 WatchReply("6fe6c918.62", {CutEvent(41, "Release", testing::kLatestRelease,
                                                     "ReleaseCut", "cut")}));
  ASSERT_EQ(Run(true), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "a release will be cut from the 3 packages published\n"
            "release/2026-02-05T0400Z-b001a823 cut (3 packages, 1.2 GiB)\n");
  EXPECT_EQ(err_.str(), "");
  std::vector<std::string> asked;
  for (const auto& r : api_.requests()) asked.push_back(r.method + " " + r.path);
  EXPECT_EQ(asked, (std::vector<std::string>{
                       "GET /api/v1/events?kind=Swarm&limit=1000", "GET /api/v1/releases",
                       "POST /api/v1/releases", "GET " + Watch("6fe6c918.60"),
                       "GET " + Watch("6fe6c918.61"), "GET /api/v1/releases"}));
}

TEST_F(ReleaseCutTest, AQuietWatchListsTheReleasesToo) {
  api_.ReplyOnce("GET", Watch("6fe6c918.60"), 200, WatchReply("6fe6c918.60", {}));
  ASSERT_EQ(Run(true), 0) << err_.str();
  EXPECT_EQ(out_.str().substr(out_.str().find('\n') + 1),
            "release/2026-02-05T0400Z-b001a823 cut (3 packages, 1.2 GiB)\n");
}

TEST_F(ReleaseCutTest, ARefusalAfterTheRequestEndsTheWait) {
  api_.ReplyOnce("GET", Watch("6fe6c918.60"), 200,
                 WatchReply("6fe6c918.61",
                            {CutEvent(42, "Swarm", "home", "ReleaseRefused",
                                      "release 2026-02-05T1030Z-b001a823 was not cut: "
                                      "app-misc/hello-2.12: SHA-256 differs from its record")}));
  EXPECT_EQ(Run(true), 1);
  EXPECT_EQ(err_.str(),
            "error: release 2026-02-05T1030Z-b001a823 was not cut: app-misc/hello-2.12: SHA-256 "
            "differs from its record\n");
  EXPECT_EQ(out_.str(), "a release will be cut from the 3 packages published\n");
}

TEST_F(ReleaseCutTest, ARefusalFoldedIntoAnOldOneIsNewToo) {
  api_.ReplyOnce("GET", Watch("6fe6c918.60"), 200,
                 WatchReply("6fe6c918.61", {OldRefusal(2, "2026-02-05T10:30:06Z")}, "MODIFIED"));
  EXPECT_EQ(Run(true), 1);
  EXPECT_EQ(err_.str(), "error: no release was cut: nothing is published yet\n");
}

TEST_F(ReleaseCutTest, AnOldRefusalNeverEndsTheWaitEvenWhenTheWatchStartsOver) {
  // The version expired: the watch starts over and the old refusal comes
  // again as ADDED, with the cut's event.
  api_.ReplyOnce("GET", Watch("6fe6c918.60"), 410,
                 R"({"kind":"Status","code":410,"reason":"Expired","message":"too old"})");
  api_.ReplyOnce(
      "GET", Watch(""), 200,
      WatchReply("6fe6c918.90", {OldRefusal(), CutEvent(41, "Release", testing::kLatestRelease,
                                                        "ReleaseCut", "cut")}));
  ASSERT_EQ(Run(true), 0) << err_.str();
  EXPECT_EQ(out_.str().substr(out_.str().find('\n') + 1),
            "release/2026-02-05T0400Z-b001a823 cut (3 packages, 1.2 GiB)\n");
}

TEST_F(ReleaseCutTest, ReleaseEventsOfOthersDoNotEndTheWait) {
  // The oldest pruned: a release event, and the list again, with nothing new.
  api_.Reply("GET", "/api/v1/releases", 200, ListBefore());
  api_.ReplyOnce("GET", Watch("6fe6c918.60", 0), 200,
                 WatchReply("6fe6c918.61", {CutEvent(43, "Release", testing::kOldestRelease,
                                                     "ReleasePruned", "pruned")}));
  EXPECT_EQ(Run(true, "0s"), 1);
  EXPECT_EQ(err_.str(),
            "error: timed out after 0s waiting for a release to be cut (see swarmctl get "
            "events)\n");
}

TEST_F(ReleaseCutTest, TheDefaultWaitIsTenMinutes) {
  // Time is what the clock says: five seconds per quiet watch, until 10m.
  api_.Reply("GET", "/api/v1/releases", 200, ListBefore());
  int watches = 0;
  class AdvancingApi final : public ApiTransport {
   public:
    AdvancingApi(FakeApi& inner, FakeClock& clock, int& watches)
        : inner_(inner), clock_(clock), watches_(watches) {}
    Result<HttpResponse> Get(const std::string& path) override {
      if (path.find("watch=true") == std::string::npos) return inner_.Get(path);
      ++watches_;
      const int seconds = std::stoi(path.substr(path.find("timeoutSeconds=") + 15));
      clock_.Advance(std::chrono::seconds(seconds));
      HttpResponse r;
      r.status = 200;
      r.body = WatchReply("6fe6c918.60", {});
      return r;
    }
    Result<HttpResponse> Put(const std::string& p, const std::string& b) override {
      return inner_.Put(p, b);
    }
    Result<HttpResponse> Post(const std::string& p, const std::string& b) override {
      return inner_.Post(p, b);
    }

   private:
    FakeApi& inner_;
    FakeClock& clock_;
    int& watches_;
  } api(api_, clock_, watches);
  EXPECT_EQ(RunReleaseCut({true, ""}, api, clock_, out_, err_), 1);
  EXPECT_EQ(watches, 600 / kWatchSeconds);
  EXPECT_EQ(err_.str(),
            "error: timed out after 10m waiting for a release to be cut (see swarmctl get "
            "events)\n");
}

TEST_F(ReleaseCutTest, ArgumentErrorsSendNothing) {
  EXPECT_EQ(Run(true, "soon"), 2);
  EXPECT_EQ(err_.str().rfind("error: --wait: ", 0), 0u) << err_.str();
  err_.str("");
  EXPECT_EQ(Run(false, "5m"), 2);
  EXPECT_EQ(err_.str(), "error: a timeout goes with --wait only\n");
  EXPECT_TRUE(api_.requests().empty());
}

TEST_F(ReleaseCutTest, ARefusedRequestIsOneErrorLineAndNoWait) {
  api_.Reply("POST", "/api/v1/releases", 403,
             R"({"kind":"Status","code":403,"reason":"Forbidden",)"
             R"("message":"this needs an admin token"})");
  EXPECT_EQ(Run(true), 1);
  EXPECT_NE(err_.str().find("this needs an admin token"), std::string::npos) << err_.str();
  EXPECT_EQ(err_.str().find('\n'), err_.str().size() - 1) << err_.str();
  EXPECT_EQ(api_.requests().back().method, "POST");
  EXPECT_EQ(out_.str(), "");
}

}  // namespace
}  // namespace swarm::ctl

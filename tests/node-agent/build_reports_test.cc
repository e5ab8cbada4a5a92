#include "node-agent/build_reports.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/node-agent/fake_transport.h"
#include "tests/support/known_digests.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::TempDir;
using ::testing::ElementsAre;
using testing::FakeTransport;
using ::testing::HasSubstr;
using testing::Reply;

constexpr char kBase[] = "/api/v1/drones/drone-izar/builds/";

HttpResponse Ok() { return Reply(200, R"({"accepted": true})"); }
HttpResponse Stop() {
  return Reply(409, R"({"kind": "Status", "code": 409, "message": "not current", "stop": true})");
}

class BuildReportsTest : public ::testing::Test {
 protected:
  BuildReportsTest() : outbox_(&clock_, [] { return 0.0; }) {}

  FinishedBuild Success(const std::string& id) {
    FinishedBuild f;
    f.result.assignment = id;
    f.result.package = "dev-libs/openssl-3.3.3";
    f.result.outcome = api::kBuildSucceeded;
    f.result.duration_ms = 5000;
    // As the executor leaves it: the digest is taken at upload.
    f.result.binpkg = api::BinaryPackageRef{"dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", 3, ""};
    f.log_path = dir_.Write("logs/" + id + ".log", "building " + id + "\n");
    f.binpkg_path = dir_.Write("pkgdir/dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", "abc");
    return f;
  }
  FinishedBuild Failure(const std::string& id) {
    FinishedBuild f;
    f.result.assignment = id;
    f.result.package = "sys-libs/zlib-1.3.1-r1";
    f.result.outcome = api::kBuildFailed;
    f.result.failure_class = api::kFailureDroneResources;
    f.result.message = "No space left on device";
    f.log_path = dir_.Write("logs/" + id + ".log", "no space\n");
    return f;
  }
  size_t Deliver(bool ignore_backoff = false) {
    return outbox_.Deliver(transport_, "drone-izar", ignore_backoff);
  }

  TempDir dir_;
  FakeClock clock_;
  FakeTransport transport_;
  BuildReportOutbox outbox_;
};

TEST_F(BuildReportsTest, SuccessUploadsLogThenPackageThenPostsTheResult) {
  outbox_.Add(Success("a1"));
  transport_.Push(Ok());
  transport_.Push(Ok());
  transport_.Push(Ok());
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_THAT(transport_.methods, ElementsAre("PUT", "PUT", "POST"));
  EXPECT_THAT(transport_.paths,
              ElementsAre(std::string(kBase) + "a1/log", std::string(kBase) + "a1/binpkg",
                          std::string(kBase) + "a1"));
  EXPECT_EQ(transport_.content_types[0], "text/plain");
  EXPECT_EQ(transport_.raw_bodies[0], "building a1\n");
  EXPECT_EQ(transport_.content_types[1], "application/octet-stream");
  EXPECT_EQ(transport_.raw_bodies[1], "abc");
  EXPECT_EQ(transport_.headers[1],
            (HttpHeaders{{"X-Binpkg-Path", "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar"},
                         {"X-Binpkg-Sha256", ::swarm::testing::kSha256OfAbc}}));
  const nlohmann::json& result = transport_.bodies[2];
  EXPECT_EQ(result["assignment"], "a1");
  EXPECT_EQ(result["outcome"], "Succeeded");
  EXPECT_EQ(result["durationMs"], 5000);
  EXPECT_EQ(result["binpkg"]["sha256"], ::swarm::testing::kSha256OfAbc);
  EXPECT_EQ(result["binpkg"]["size"], 3);
}

TEST_F(BuildReportsTest, AReportDroppedWhileAStepIsInFlightSendsNothingMore) {
  outbox_.Add(Success("a1"));
  outbox_.Add(Failure("f1"));
  // The controller takes a1 back while its log is being sent.
  transport_.on_post = [&] {
    if (transport_.paths.size() == 1) outbox_.Retain({"f1"});
  };
  for (int i = 0; i < 3; ++i) transport_.Push(Ok());
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_THAT(transport_.paths,
              ElementsAre(std::string(kBase) + "a1/log", std::string(kBase) + "f1/log",
                          std::string(kBase) + "f1"));
}

TEST_F(BuildReportsTest, SuccessesFreeTheirSlotsUpToACapFailuresNever) {
  outbox_.Add(Failure("f1"));
  for (size_t i = 0; i <= kMaxUploading; ++i) outbox_.Add(Success("s" + std::to_string(i)));
  std::vector<api::BuildProgress> held = outbox_.Progress();
  ASSERT_EQ(held.size(), kMaxUploading + 2);
  EXPECT_EQ(held[0].state, api::kActionRunning) << "a failure's result decides first";
  EXPECT_EQ(held[1].state, api::kBuildUploading);
  EXPECT_EQ(held[kMaxUploading].state, api::kBuildUploading);
  EXPECT_EQ(held[kMaxUploading + 1].state, api::kActionRunning) << "past the cap";
}

TEST_F(BuildReportsTest, AStopEndsDeliveryBetweenStepsAndTheNextCallGoesOn) {
  outbox_.Add(Success("a1"));
  for (int i = 0; i < 3; ++i) transport_.Push(Ok());
  bool stop = false;
  transport_.on_post = [&] { stop = true; };  // asked to stop during the log upload
  EXPECT_EQ(outbox_.Deliver(transport_, "drone-izar", false, nullptr, [&] { return stop; }), 1u);
  EXPECT_EQ(transport_.paths.size(), 1u);
  transport_.on_post = nullptr;
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_THAT(transport_.paths,
              ElementsAre(std::string(kBase) + "a1/log", std::string(kBase) + "a1/binpkg",
                          std::string(kBase) + "a1"));
}

TEST_F(BuildReportsTest, EachResultTakenIsToldBeforeTheNextReportIsSent) {
  outbox_.Add(Success("a1"));
  outbox_.Add(Success("a2"));
  for (int i = 0; i < 6; ++i) transport_.Push(Ok());
  // What the transport had been sent each time a result was taken: the
  // heartbeat that a freed slot wants goes before a2's (maybe long) upload.
  std::vector<size_t> sent_when_told;
  size_t reported = 0;
  EXPECT_EQ(outbox_.Deliver(transport_, "drone-izar", false, &reported, {},
                            [&] { sent_when_told.push_back(transport_.paths.size()); }),
            0u);
  EXPECT_EQ(reported, 2u);
  EXPECT_THAT(sent_when_told, ElementsAre(3u, 6u));
}

TEST_F(BuildReportsTest, ALongUploadThatFailsWaitsItsBackoffFromTheFailure) {
  outbox_.Add(Success("a1"));
  transport_.Push(Ok());
  transport_.Push(Reply(503, "overloaded"));
  // The package takes a minute to send before the controller refuses it.
  transport_.on_post = [&] {
    if (transport_.paths.size() == 2) clock_.Advance(std::chrono::minutes(1));
  };
  EXPECT_EQ(Deliver(), 1u);
  transport_.on_post = nullptr;
  EXPECT_EQ(Deliver(), 1u);  // not due: its backoff counts from the failure
  EXPECT_EQ(transport_.paths.size(), 2u);
}

TEST_F(BuildReportsTest, FailureUploadsItsLogAndPostsTheResult) {
  outbox_.Add(Failure("f1"));
  transport_.Push(Ok());
  transport_.Push(Ok());
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_THAT(transport_.paths,
              ElementsAre(std::string(kBase) + "f1/log", std::string(kBase) + "f1"));
  EXPECT_EQ(transport_.bodies[1]["failureClass"], "DroneResources");
  EXPECT_TRUE(transport_.bodies[1]["binpkg"].is_null());
}

TEST_F(BuildReportsTest, ReturnedBuildPostsOnlyItsResult) {
  FinishedBuild f = Failure("r1");
  f.result.outcome = api::kBuildReturned;
  f.result.failure_class.clear();
  f.result.message = "agent shutting down (SIGTERM)";
  outbox_.Add(f);
  transport_.Push(Ok());
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_THAT(transport_.paths, ElementsAre(std::string(kBase) + "r1"));
  EXPECT_EQ(transport_.bodies[0]["message"], "agent shutting down (SIGTERM)");
}

TEST_F(BuildReportsTest, OnlyTheLastMebibyteOfALogIsSent) {
  FinishedBuild f = Failure("f1");
  std::string big(kMaxLogUploadBytes + 1000, 'x');
  big.replace(0, 5, "HEAD\n");
  big.replace(big.size() - 5, 5, "TAIL\n");
  dir_.Write("logs/f1.log", big);
  outbox_.Add(f);
  transport_.Push(Ok());
  transport_.Push(Ok());
  Deliver();
  ASSERT_EQ(transport_.raw_bodies[0].size(), kMaxLogUploadBytes);
  EXPECT_EQ(transport_.raw_bodies[0].substr(kMaxLogUploadBytes - 5), "TAIL\n");
  EXPECT_EQ(transport_.raw_bodies[0].find("HEAD"), std::string::npos);
}

TEST_F(BuildReportsTest, MissingLogIsSkipped) {
  FinishedBuild f = Failure("f1");
  std::filesystem::remove(f.log_path);
  outbox_.Add(f);
  transport_.Push(Ok());
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_THAT(transport_.paths, ElementsAre(std::string(kBase) + "f1"));
}

TEST_F(BuildReportsTest, LogRefusedForItsSizeStillSendsTheResult) {
  outbox_.Add(Failure("f1"));
  transport_.Push(Reply(413, "too large"));
  transport_.Push(Ok());
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_EQ(transport_.paths.back(), std::string(kBase) + "f1");
}

TEST_F(BuildReportsTest, ConflictOnAnyStepDropsTheWholeReport) {
  outbox_.Add(Success("a1"));
  outbox_.Add(Success("a2"));
  transport_.Push(Stop());  // a1's log: no longer a1's
  transport_.Push(Ok());    // a2's log
  transport_.Push(Stop());  // a2's package
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_THAT(transport_.paths,
              ElementsAre(std::string(kBase) + "a1/log", std::string(kBase) + "a2/log",
                          std::string(kBase) + "a2/binpkg"));
}

TEST_F(BuildReportsTest, RejectedUploadDropsTheReport) {
  outbox_.Add(Success("a1"));
  transport_.Push(Ok());
  transport_.Push(Reply(422, R"({"message": "zero-byte body"})"));
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_EQ(transport_.paths.size(), 2u);  // no result after the refusal
}

TEST_F(BuildReportsTest, ServerErrorIsRetriedAfterABackoffFromTheStepThatFailed) {
  outbox_.Add(Success("a1"));
  transport_.Push(Ok());
  transport_.Push(Ok());
  transport_.Push(Reply(503, "overloaded"));
  EXPECT_EQ(Deliver(), 1u);
  EXPECT_EQ(transport_.paths.size(), 3u);

  EXPECT_EQ(Deliver(), 1u);  // not due yet
  EXPECT_EQ(transport_.paths.size(), 3u);
  EXPECT_THAT(outbox_.Progress().front().state, api::kBuildUploading);

  clock_.Advance(std::chrono::seconds(1));
  transport_.Push(Ok());
  EXPECT_EQ(Deliver(), 0u);
  ASSERT_EQ(transport_.paths.size(), 4u);  // the result only: uploads are not repeated
  EXPECT_EQ(transport_.paths[3], std::string(kBase) + "a1");
}

TEST_F(BuildReportsTest, BackoffDoublesAndIgnoreBackoffSendsAtOnce) {
  outbox_.Add(Failure("f1"));
  transport_.Push(Reply(500, ""));
  Deliver();  // 1st failure: due in 1s
  clock_.Advance(std::chrono::seconds(1));
  transport_.Push(Reply(500, ""));
  Deliver();  // 2nd: due in 2s
  clock_.Advance(std::chrono::seconds(1));
  Deliver();
  EXPECT_EQ(transport_.paths.size(), 2u);
  transport_.Push(Ok());
  transport_.Push(Ok());
  EXPECT_EQ(Deliver(/*ignore_backoff=*/true), 0u);
}

TEST_F(BuildReportsTest, UnreachableControllerEndsTheCall) {
  outbox_.Add(Failure("f1"));
  outbox_.Add(Failure("f2"));
  transport_.PushDown();
  EXPECT_EQ(Deliver(), 2u);
  EXPECT_THAT(transport_.paths, ElementsAre(std::string(kBase) + "f1/log"));
  EXPECT_EQ(outbox_.Progress().size(), 2u);
}

TEST_F(BuildReportsTest, VanishedPackageIsReturnedInstead) {
  FinishedBuild f = Success("a1");
  std::filesystem::remove(f.binpkg_path);
  outbox_.Add(f);
  transport_.Push(Ok());
  transport_.Push(Ok());
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_THAT(transport_.paths,
              ElementsAre(std::string(kBase) + "a1/log", std::string(kBase) + "a1"));
  EXPECT_EQ(transport_.bodies[1]["outcome"], "Returned");
  EXPECT_THAT(transport_.bodies[1]["message"].get<std::string>(),
              HasSubstr("vanished from PKGDIR"));
  EXPECT_TRUE(transport_.bodies[1]["binpkg"].is_null());
}

TEST_F(BuildReportsTest, RetainDropsReportsTheControllerNoLongerLists) {
  outbox_.Add(Failure("f1"));
  outbox_.Add(Failure("f2"));
  outbox_.Retain({"f2"});
  std::vector<api::BuildProgress> held = outbox_.Progress();
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].assignment, "f2");
  EXPECT_EQ(held[0].package, "sys-libs/zlib-1.3.1-r1");
}

TEST_F(BuildReportsTest, InvalidUtf8InTheResultIsReplacedNotThrown) {
  FinishedBuild f = Failure("f1");
  f.result.log_tail = "bad \xff\xfe byte";
  f.log_path.clear();
  outbox_.Add(f);
  transport_.Push(Ok());
  EXPECT_EQ(Deliver(), 0u);
  EXPECT_THAT(transport_.bodies[0]["logTail"].get<std::string>(), HasSubstr("bad "));
}

TEST(ReadFileTailTest, SmallFileWholeLargeFileItsTail) {
  TempDir dir;
  auto small = ReadFileTail(dir.Write("s", "hello"), 100);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(*small, "hello");
  auto tail = ReadFileTail(dir.Write("l", "0123456789"), 4);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(*tail, "6789");
  auto missing = ReadFileTail(dir.File("missing"), 4);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("missing"));
}

TEST(ReadFileTailTest, ALinkIsNotFollowed) {
  TempDir dir;
  const std::string secret = dir.Write("secret", "not a build log\n");
  ASSERT_EQ(symlink(secret.c_str(), dir.File("b-1.log").c_str()), 0);
  auto log = ReadFileTail(dir.File("b-1.log"), 100);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().message(),
            "\"" + dir.File("b-1.log") + "\" is a symbolic link; refusing to follow it");
}

}  // namespace
}  // namespace swarm::agent

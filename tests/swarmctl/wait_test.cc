#include "swarmctl/wait.h"

#include <gtest/gtest.h>

#include <sstream>

#include "swarmctl/watch.h"
#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;
using testing::FakeApi;

std::string WaitSwarmWith(const std::string& type, const std::string& status,
                          const std::string& reason, int complete,
                          const std::string& message = "") {
  return R"({"metadata":{"name":"home"},"status":{"queue":{"total":30,"complete":)" +
         std::to_string(complete) + R"(},"progress":{"etaSeconds":90,"cores":6,"busyCores":6,)" +
         R"("asOf":"2026-02-05T10:30:05Z"},"conditions":[{"type":")" + type + R"(","status":")" +
         status + R"(","reason":")" + reason + R"(","message":")" + message + R"("}]}})";
}

std::string WaitBatch(const std::string& version, const std::string& swarm) {
  return R"({"kind":"WatchEventList","metadata":{"resourceVersion":")" + version +
         R"("},"items":[{"type":"MODIFIED","object":)" + swarm + "}]}";
}

class WaitTest : public ::testing::Test {
 protected:
  int Run(const std::string& for_condition, bool progress = false,
          const std::string& timeout = "30s") {
    return RunWait({for_condition, timeout}, api_, clock_, progress, out_, err_);
  }
  std::string Path(const std::string& version, int seconds = kWatchSeconds) {
    return WatchPath(kSwarmPath, version, seconds);
  }

  FakeClock clock_{CannedNow()};
  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(WaitTest, UntilTheConditionHoldsWithAProgressLineOnATerminal) {
  api_.ReplyOnce("GET", Path(""), 200,
                 WaitBatch("e.1", WaitSwarmWith("QueueComplete", "False", "Building", 12)));
  api_.ReplyOnce("GET", Path("e.1"), 200,
                 WaitBatch("e.2", WaitSwarmWith("QueueComplete", "True", "AllBuilt", 30)));
  ASSERT_EQ(Run("condition=QueueComplete", /*progress=*/true), 0) << err_.str();
  const std::string line = "12/30 packages complete, ETA 1m";
  EXPECT_EQ(out_.str(),
            line + "\r" + std::string(line.size(), ' ') + "\r" + "swarm/home condition met\n");
}

TEST_F(WaitTest, PipedItPrintsTheOneLine) {
  api_.ReplyOnce("GET", Path(""), 200,
                 WaitBatch("e.1", WaitSwarmWith("Converged", "False", "NotConverged", 12)));
  api_.ReplyOnce("GET", Path("e.1"), 200,
                 WaitBatch("e.2", WaitSwarmWith("Converged", "True", "Converged", 12)));
  ASSERT_EQ(Run("condition=Converged"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "swarm/home condition met\n");
}

TEST_F(WaitTest, AStatusOtherThanTrue) {
  api_.ReplyOnce("GET", Path(""), 200,
                 WaitBatch("e.1", WaitSwarmWith("Converged", "False", "X", 1)));
  ASSERT_EQ(Run("condition=Converged=false"), 0) << err_.str();
}

TEST_F(WaitTest, BlockedPackagesEndTheWaitForQueueComplete) {
  api_.ReplyOnce("GET", Path(""), 200,
                 WaitBatch("e.1", WaitSwarmWith("QueueComplete", "False", "PackagesBlocked", 29,
                                                "29 of 30 packages complete; 1 blocked")));
  EXPECT_EQ(Run("condition=QueueComplete"), 1);
  EXPECT_EQ(err_.str(),
            "error: swarm/home: QueueComplete cannot become True without a person: 29 of 30 "
            "packages complete; 1 blocked\n");
}

TEST_F(WaitTest, ATimeoutOfZeroLooksOnce) {
  api_.ReplyOnce("GET", Path("", 0), 200,
                 WaitBatch("e.1", WaitSwarmWith("Converged", "False", "X", 1)));
  EXPECT_EQ(Run("condition=Converged", false, "0s"), 1);
  EXPECT_EQ(err_.str(), "error: timed out waiting for the condition on swarm/home\n");
  EXPECT_EQ(api_.requests().size(), 1u);
}

TEST_F(WaitTest, MalformedFlagsAreUsageErrors) {
  EXPECT_EQ(Run("Converged"), 2);
  EXPECT_EQ(Run("condition=Converged=maybe"), 2);
  EXPECT_EQ(Run("condition=Converged", false, "soon"), 2);
  EXPECT_TRUE(api_.requests().empty());
}

}  // namespace
}  // namespace swarm::ctl

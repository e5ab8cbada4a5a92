#include "swarmctl/watch.h"

#include <gtest/gtest.h>

#include <sstream>

#include "swarmctl/package_table.h"
#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;
using testing::FakeApi;

std::string PackageJson(const std::string& name, const std::string& phase,
                        const std::string& drone = "") {
  return R"({"metadata":{"name":")" + name + R"("},"spec":{"dependencies":[]},)" +
         R"("status":{"phase":")" + phase + R"(","drone":")" + drone + R"(","attempts":0}})";
}

std::string Batch(const std::string& version, const std::vector<std::string>& items) {
  std::string out =
      R"({"kind":"WatchEventList","metadata":{"resourceVersion":")" + version + R"("},"items":[)";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]}";
}

std::string Item(const std::string& type, const std::string& object) {
  return R"({"type":")" + type + R"(","object":)" + object + "}";
}

class WatchTest : public ::testing::Test {
 protected:
  WatchTest() {
    spec_.path = kPackagesPath;
    spec_.table = [](const std::vector<const Json*>& objects, WallTime) {
      return PackageTable(objects, false);
    };
  }
  std::string Path(const std::string& version) { return WatchPath(kPackagesPath, version); }
  int Run() { return RunWatch(spec_, api_, clock_, out_, err_); }

  WatchSpec spec_;
  FakeClock clock_{CannedNow()};
  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(WatchTest, PrintsTheTableThenARowPerChange) {
  api_.ReplyOnce("GET", Path(""), 200,
                 Batch("e.1", {Item("ADDED", PackageJson("dev-libs/a-1", "Needed")),
                               Item("ADDED", PackageJson("dev-libs/b-1", "Needed"))}));
  api_.ReplyOnce("GET", Path("e.1"), 200, Batch("e.1", {}));  // a watch that timed out
  api_.ReplyOnce("GET", Path("e.1"), 200,
                 Batch("e.3", {Item("MODIFIED", PackageJson("dev-libs/a-1", "Building", "izar"))}));
  api_.ReplyOnce("GET", Path("e.3"), 200,
                 Batch("e.4", {Item("MODIFIED", PackageJson("dev-libs/a-1", "Complete", "izar"))}));
  // Then the controller goes away: the watch ends with its error.
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(out_.str(),
            "NAME           PHASE    DRONE    ATTEMPTS   DEPS   REASON\n"
            "dev-libs/a-1   Needed   <none>   0          0      <none>\n"
            "dev-libs/b-1   Needed   <none>   0          0      <none>\n"
            "dev-libs/a-1   Building   izar     0          0      <none>\n"
            "dev-libs/a-1   Complete   izar     0          0      <none>\n");
  EXPECT_NE(err_.str().find("error: cannot reach"), std::string::npos) << err_.str();
}

TEST_F(WatchTest, AfterExpiredItListsAgainAndPrintsOnlyWhatChanged) {
  api_.ReplyOnce("GET", Path(""), 200,
                 Batch("e.1", {Item("ADDED", PackageJson("dev-libs/a-1", "Needed")),
                               Item("ADDED", PackageJson("dev-libs/b-1", "Needed"))}));
  api_.ReplyOnce("GET", Path("e.1"), 410,
                 R"({"kind":"Status","code":410,"reason":"Expired","message":"too old"})");
  api_.ReplyOnce("GET", Path(""), 200,
                 Batch("e.9", {Item("ADDED", PackageJson("dev-libs/a-1", "Needed")),
                               Item("ADDED", PackageJson("dev-libs/b-1", "Complete"))}));
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(out_.str(),
            "NAME           PHASE    DRONE    ATTEMPTS   DEPS   REASON\n"
            "dev-libs/a-1   Needed   <none>   0          0      <none>\n"
            "dev-libs/b-1   Needed   <none>   0          0      <none>\n"
            "dev-libs/b-1   Complete   <none>   0          0      <none>\n");
}

TEST_F(WatchTest, ANamedObjectAloneAndJsonPerChange) {
  spec_.name = "dev-libs/b-1";
  spec_.format = OutputFormat::kJson;
  api_.ReplyOnce("GET", Path(""), 200,
                 Batch("e.1", {Item("ADDED", PackageJson("dev-libs/a-1", "Needed")),
                               Item("ADDED", PackageJson("dev-libs/b-1", "Needed"))}));
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(out_.str().find("dev-libs/a-1"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("\"name\": \"dev-libs/b-1\""), std::string::npos) << out_.str();
}

TEST_F(WatchTest, AnErrorReplyEndsTheWatch) {
  api_.ReplyOnce("GET", Path(""), 403,
                 R"({"kind":"Status","code":403,"reason":"Forbidden","message":"not for agents"})");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_NE(err_.str().find("not for agents"), std::string::npos) << err_.str();
}

TEST(WatchPathTest, AddsToTheQueryItFinds) {
  EXPECT_EQ(WatchPath("/api/v1/drones", ""), "/api/v1/drones?watch=true&timeoutSeconds=5");
  EXPECT_EQ(WatchPath("/api/v1/events?kind=Drone&name=izar", "ab.7"),
            "/api/v1/events?kind=Drone&name=izar&watch=true&timeoutSeconds=5&resourceVersion=ab.7");
}

}  // namespace
}  // namespace swarm::ctl

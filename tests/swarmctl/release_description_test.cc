#include "swarmctl/release_description.h"

#include <gtest/gtest.h>

#include <sstream>

#include "swarmctl/api_client.h"
#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/canned_releases.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;

std::string Describe(const Json& release, const std::optional<std::vector<const Json*>>& events) {
  std::ostringstream out;
  DescribeRelease(release, events, CannedNow(), out);
  return out.str();
}

TEST(ReleaseDescriptionTest, TheLatestReleaseWithItsChangesAndEvents) {
  const Json release = Json::parse(testing::CannedLatestRelease());
  const Json events = Json::parse(testing::kLatestReleaseEvents);
  EXPECT_EQ(Describe(release, ListItems(events, "test").value()),
            "Name:            2026-02-05T0400Z-b001a823\n"
            "Created:         2026-02-05T04:00:00Z (6h ago)\n"
            "Tree Revision:   b001a823ca12b001a823ca12b001a823ca12b001\n"
            "Deploy Version:  2026.02.05\n"
            "Queue:           <none>\n"
            "Packages:        3\n"
            "Size:            1.2 GiB (1295975629 bytes)\n"
            "Promoted:        false\n"
            "Last Promoted:   <never>\n"
            "Previous:        2026-02-04T0300Z-9fc7a49a\n"
            "Changes:\n"
            "  Added (1):    app-misc/hello-2.12\n"
            "  Removed (1):  sys-apps/base-1.0\n"
            "  Rebuilt (1):  dev-libs/openssl-3.3.3\n"
            "Events:\n"
            "  TYPE     REASON       AGE   MESSAGE\n"
            "  Normal   ReleaseCut   6h    release 2026-02-05T0400Z-b001a823 cut: 3 packages, "
            "1295975629 bytes\n");
}

TEST(ReleaseDescriptionTest, EveryNameOfAChangeOnALineOfItsOwnAndNoneAsNone) {
  Json release = Json::parse(testing::CannedLatestRelease());
  release["status"]["changes"] = {
      {"added", {"app-misc/hello-2.12", "dev-libs/libffi-3.4.6", "sys-libs/zlib-1.3.1"}},
      {"removed", Json::array()},
      {"rebuilt", Json::array()}};
  const std::string text = Describe(release, std::vector<const Json*>{});
  EXPECT_NE(text.find("Changes:\n"
                      "  Added (3):    app-misc/hello-2.12\n"
                      "                dev-libs/libffi-3.4.6\n"
                      "                sys-libs/zlib-1.3.1\n"
                      "  Removed (0):  <none>\n"
                      "  Rebuilt (0):  <none>\n"
                      "Events:  <none>\n"),
            std::string::npos)
      << text;
}

TEST(ReleaseDescriptionTest, APromotedReleaseSaysSinceWhen) {
  Json release = Json::parse(testing::CannedLatestRelease());
  release["status"]["promoted"] = true;
  release["status"]["promotedAt"] = "2026-02-05T10:00:05Z";
  const std::string text = Describe(release, std::nullopt);
  EXPECT_NE(text.find("Promoted:        true\n"
                      "Last Promoted:   2026-02-05T10:00:05Z (30m ago)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nEvents:  <unavailable>\n"), std::string::npos) << text;
}

TEST(ReleaseDescriptionTest, AReplyWithoutChangesSaysSo) {
  // What a list item holds: no packages, no previous, no changes.
  const Json list = Json::parse(testing::CannedReleaseList());
  const std::string text = Describe(list["items"][0], std::vector<const Json*>{});
  EXPECT_NE(text.find("Packages:        2\n"
                      "Size:            7.0 MiB (7350272 bytes)\n"
                      "Promoted:        false\n"
                      "Last Promoted:   2026-02-03T02:05:00Z (2d ago)\n"
                      "Previous:        <none>\n"
                      "Changes:         <unavailable>\n"
                      "Events:          <none>\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace swarm::ctl

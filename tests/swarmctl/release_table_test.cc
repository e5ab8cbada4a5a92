#include "swarmctl/release_table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "swarmctl/api_client.h"
#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/canned_releases.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;

class ReleaseTableTest : public ::testing::Test {
 protected:
  ReleaseTableTest() : list_(Json::parse(testing::CannedReleaseList())) {
    releases_ = ListItems(list_, "test").value();
  }

  std::string Print(bool wide, WallTime now = CannedNow()) {
    std::ostringstream out;
    PrintReleaseTable(releases_, wide, now, out);
    return out.str();
  }

  Json list_;
  std::vector<const Json*> releases_;
};

TEST_F(ReleaseTableTest, OneRowPerReleaseOldestFirstThePromotedOneMarked) {
  EXPECT_EQ(Print(false),
            "NAME                        PACKAGES   SIZE      AGE   PROMOTED\n"
            "2026-02-03T0200Z-9fc7a49a   2          7.0 MiB   2d\n"
            "2026-02-04T0300Z-9fc7a49a   3          1.2 GiB   1d    *\n"
            "2026-02-05T0400Z-b001a823   3          1.2 GiB   6h\n");
}

TEST_F(ReleaseTableTest, AgesComeFromTheClockGiven) {
  const std::string later = Print(false, CannedNow() + std::chrono::hours(24 * 30));
  EXPECT_NE(later.find("2026-02-05T0400Z-b001a823   3          1.2 GiB   30d\n"), std::string::npos)
      << later;
}

TEST_F(ReleaseTableTest, WideAddsTreeDeployAndTheLastPromotion) {
  EXPECT_EQ(Print(true),
            "NAME                        PACKAGES   SIZE      AGE   PROMOTED   TREE           "
            "DEPLOY       LAST PROMOTED\n"
            "2026-02-03T0200Z-9fc7a49a   2          7.0 MiB   2d               9fc7a49ad649   "
            "2026.02.01   2d\n"
            "2026-02-04T0300Z-9fc7a49a   3          1.2 GiB   1d    *          9fc7a49ad649   "
            "2026.02.01   1d\n"
            "2026-02-05T0400Z-b001a823   3          1.2 GiB   6h               b001a823ca12   "
            "2026.02.05   <never>\n");
}

TEST_F(ReleaseTableTest, AnOddReplyRendersInsteadOfFailing) {
  const Json odd = Json::parse(R"({"metadata": {"creationTimestamp": "yesterday"}})");
  std::ostringstream out;
  PrintReleaseTable({&odd}, false, CannedNow(), out);
  EXPECT_EQ(out.str(),
            "NAME     PACKAGES   SIZE   AGE         PROMOTED\n"
            "<none>   -          -      <unknown>\n");
}

}  // namespace
}  // namespace swarm::ctl

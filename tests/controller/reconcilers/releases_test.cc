#include "controller/reconcilers/releases.h"

#include <gtest/gtest.h>

#include "api/conditions.h"
#include "base/clock.h"

namespace swarm::controller::reconcilers {
namespace {

api::Package CompletePackage(const std::string& name, const std::string& sha,
                             const std::string& slot = "0") {
  api::Package p;
  p.name = name;
  p.phase = api::kPhaseComplete;
  p.binpkg = api::BinaryPackageRef{name + ".gpkg.tar", 10, sha};
  if (!slot.empty()) p.index_entry = "CPV: " + name + "\nSLOT: " + slot + "\n";
  return p;
}

api::Release ReleaseOf(const std::string& name, const std::vector<api::Package>& packages,
                       int minute) {
  api::Release r;
  r.name = name;
  r.created = WallTime(std::chrono::minutes(minute));
  for (const auto& p : packages) r.packages.push_back({p.name, *p.binpkg, p.index_entry});
  return r;
}

std::vector<std::string> Names(const ReleaseContents& c) {
  std::vector<std::string> out;
  for (const auto& p : c.packages) out.push_back(p.name);
  return out;
}

TEST(ReleaseQueueDigestTest, NamesTheFilesAndTheStampNotTheOrder) {
  api::QueueSummary stamp;
  stamp.tree_revision = "aaa";
  const std::vector<api::Package> q = {CompletePackage("dev-libs/a-1", "11"),
                                       CompletePackage("dev-libs/b-1", "22")};
  const std::vector<api::Package> reversed = {q[1], q[0]};
  EXPECT_EQ(ReleaseQueueDigest(q, stamp), ReleaseQueueDigest(reversed, stamp));
  std::vector<api::Package> rebuilt = q;
  rebuilt[0].binpkg->sha256 = "33";
  EXPECT_NE(ReleaseQueueDigest(q, stamp), ReleaseQueueDigest(rebuilt, stamp));
  api::QueueSummary other = stamp;
  other.tree_revision = "bbb";
  EXPECT_NE(ReleaseQueueDigest(q, stamp), ReleaseQueueDigest(q, other));
}

TEST(QueueReleasableTest, EveryPackageCompleteWithItsFile) {
  std::vector<api::Package> q = {CompletePackage("dev-libs/a-1", "11")};
  EXPECT_TRUE(QueueReleasable(q));
  EXPECT_FALSE(QueueReleasable({}));
  q.push_back(CompletePackage("dev-libs/b-1", "22"));
  q.back().phase = api::kPhaseBlocked;
  EXPECT_FALSE(QueueReleasable(q));
}

TEST(PlanReleaseContentsTest, KeepsWhatTheQueueDoesNotSupersedeBySlot) {
  const api::Release previous =
      ReleaseOf("r1",
                {CompletePackage("dev-libs/a-1", "a1"), CompletePackage("dev-libs/b-1", "b1"),
                 CompletePackage("dev-lang/py-3.12", "p12", "3.12"),
                 CompletePackage("dev-libs/c-1", "c1", "")},
                1);
  // a bumped in its slot; py gets a second slot; c (no SLOT known) is
  // superseded by any c; b untouched.
  const std::vector<api::Package> queue = {CompletePackage("dev-libs/a-2", "a2"),
                                           CompletePackage("dev-lang/py-3.13", "p13", "3.13"),
                                           CompletePackage("dev-libs/c-2", "c2")};
  ReleaseContents c = PlanReleaseContents(queue, &previous, {});
  EXPECT_EQ(Names(c), (std::vector<std::string>{"dev-lang/py-3.12", "dev-lang/py-3.13",
                                                 "dev-libs/a-2", "dev-libs/b-1", "dev-libs/c-2"}));
  EXPECT_EQ(c.from_previous, (std::vector<bool>{true, false, false, true, false}));
  // An earlier release's file that failed is left out.
  c = PlanReleaseContents(queue, &previous, {"dev-libs/b-1 b1"});
  EXPECT_EQ(Names(c), (std::vector<std::string>{"dev-lang/py-3.12", "dev-lang/py-3.13",
                                                 "dev-libs/a-2", "dev-libs/c-2"}));
  // A queue package not complete is not released.
  std::vector<api::Package> partial = queue;
  partial[0].phase = api::kPhaseBuilding;
  c = PlanReleaseContents(partial, nullptr, {});
  EXPECT_EQ(Names(c), (std::vector<std::string>{"dev-lang/py-3.13", "dev-libs/c-2"}));
}

TEST(ReleaseNameTest, TheMinuteAndTheTreeUniqueAmongTaken) {
  const WallTime t = *ParseTime("2026-12-06T04:12:59Z");
  EXPECT_EQ(ReleaseName(t, "16b3ce4e0123", {}), "2026-12-06T0412Z-16b3ce4e");
  EXPECT_EQ(ReleaseName(t, "16b3ce4e0123", {"2026-12-06T0412Z-16b3ce4e"}),
            "2026-12-06T0412Z-16b3ce4e-2");
  EXPECT_EQ(ReleaseName(t, "refs/x y", {}), "2026-12-06T0412Z-refsxy");
  EXPECT_EQ(ReleaseName(t, "", {}), "2026-12-06T0412Z");
}

TEST(AutoPromotionTest, TheNewestOnceAndNeverAfterARollback) {
  api::BinhostSpec automatic;
  std::vector<api::Release> rs = {ReleaseOf("r1", {}, 1), ReleaseOf("r2", {}, 2)};
  EXPECT_EQ(AutoPromotion(automatic, rs, "r1"), "r2");
  EXPECT_EQ(AutoPromotion(automatic, rs, "r2"), std::nullopt);
  rs[1].promoted_at = WallTime(std::chrono::minutes(3));
  EXPECT_EQ(AutoPromotion(automatic, rs, "r1"), std::nullopt) << "rolled back from r2";
  api::BinhostSpec manual;
  manual.promotion = api::kPromotionManual;
  rs[1].promoted_at.reset();
  EXPECT_EQ(AutoPromotion(manual, rs, "r1"), std::nullopt);
  EXPECT_EQ(AutoPromotion(automatic, {}, ""), std::nullopt);
}

TEST(ReleasesToPruneTest, OldestFirstNeverThePromotedOrTheOneBeforeIt) {
  std::vector<api::Release> rs;
  for (int i = 1; i <= 6; ++i) rs.push_back(ReleaseOf("r" + std::to_string(i), {}, i));
  EXPECT_EQ(ReleasesToPrune(rs, "r6", 5), (std::vector<std::string>{"r1"}));
  EXPECT_EQ(ReleasesToPrune(rs, "r6", 2), (std::vector<std::string>{"r1", "r2", "r3", "r4"}));
  // Rolled back to r2: r1 and r2 stay; the oldest of the rest go.
  EXPECT_EQ(ReleasesToPrune(rs, "r2", 2), (std::vector<std::string>{"r3", "r4", "r5", "r6"}));
  EXPECT_EQ(ReleasesToPrune(rs, "r2", 4), (std::vector<std::string>{"r3", "r4"}));
  EXPECT_TRUE(ReleasesToPrune(rs, "", 6).empty());
}

TEST(NextIndexTimestampTest, AlwaysAfterEveryEarlierPromotion) {
  std::vector<api::Release> rs = {ReleaseOf("r1", {}, 1)};
  const WallTime now(std::chrono::seconds(1000));
  EXPECT_EQ(NextIndexTimestamp(rs, now), 1000);
  rs[0].index_timestamp = 1000;
  EXPECT_EQ(NextIndexTimestamp(rs, now), 1001) << "two promotions within one second";
}

TEST(DiffReleasesTest, AddedRemovedRebuilt) {
  const api::Release r1 = ReleaseOf(
      "r1", {CompletePackage("dev-libs/a-1", "a"), CompletePackage("dev-libs/b-1", "b")}, 1);
  const api::Release r2 = ReleaseOf(
      "r2", {CompletePackage("dev-libs/a-1", "A"), CompletePackage("dev-libs/c-1", "c")}, 2);
  ReleaseDiff d = DiffReleases(r2, &r1);
  EXPECT_EQ(d.added, (std::vector<std::string>{"dev-libs/c-1"}));
  EXPECT_EQ(d.removed, (std::vector<std::string>{"dev-libs/b-1"}));
  EXPECT_EQ(d.rebuilt, (std::vector<std::string>{"dev-libs/a-1"}));
  d = DiffReleases(r1, nullptr);
  EXPECT_EQ(d.added.size(), 2u);
}

TEST(ReleasedConditionTest, SaysWhereTheQueuesReleaseStands) {
  api::BinhostSpec automatic, manual;
  manual.promotion = api::kPromotionManual;
  api::QueueSummary q;
  q.total = 3;
  q.complete = 2;
  std::vector<api::Release> rs = {ReleaseOf("r1", {}, 1), ReleaseOf("r2", {}, 2)};
  rs[1].queue = "d2";
  auto c = ReleasedCondition(automatic, rs, "r1", "", q, nullptr);
  EXPECT_EQ(c.status + "/" + c.reason, "False/QueueIncomplete");
  EXPECT_EQ(c.message, "no release of the queue yet: 2 of 3 packages complete; current is r1");
  c = ReleasedCondition(automatic, rs, "r2", "d2", q, nullptr);
  EXPECT_EQ(c.status + "/" + c.reason, "True/Promoted");
  c = ReleasedCondition(manual, rs, "r1", "d2", q, nullptr);
  EXPECT_EQ(c.status + "/" + c.reason, "False/AwaitingPromotion");
  EXPECT_NE(c.message.find("swarmctl promote r2"), std::string::npos) << c.message;
  rs[1].promoted_at = WallTime(std::chrono::minutes(3));
  c = ReleasedCondition(manual, rs, "r1", "d2", q, nullptr);
  EXPECT_EQ(c.status + "/" + c.reason, "False/OlderPromoted");
  // A refusal stays until the queue's release is cut.
  api::Condition refused{api::condition::kReleased, api::kFalse, api::reason::kVerificationFailed,
                         "a file failed", {}};
  c = ReleasedCondition(automatic, rs, "r1", "", q, &refused);
  EXPECT_EQ(c.reason, "VerificationFailed");
  EXPECT_EQ(c.message, "a file failed");
  c = ReleasedCondition(automatic, rs, "r2", "d2", q, &refused);
  EXPECT_EQ(c.reason, "Promoted");
}

}  // namespace
}  // namespace swarm::controller::reconcilers

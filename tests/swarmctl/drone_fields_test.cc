#include "swarmctl/drone_fields.h"

#include <gtest/gtest.h>

#include "tests/swarmctl/canned.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;

TEST(ApproxMemoryTest, RoundsToTheLargestUnitWithTwoDigits) {
  EXPECT_EQ(ApproxMemory(34359738368), "32Gi");
  EXPECT_EQ(ApproxMemory(33300000000), "31Gi");
  EXPECT_EQ(ApproxMemory(33822867456), "32Gi");   // 31.5Gi rounds up
  EXPECT_EQ(ApproxMemory(1503238553), "1434Mi");  // 1.4Gi keeps precision in Mi
  EXPECT_EQ(ApproxMemory(1073741824), "1Gi");
  EXPECT_EQ(ApproxMemory(10737418240), "10Gi");
  EXPECT_EQ(ApproxMemory(1099511627776), "1Ti");
  EXPECT_EQ(ApproxMemory(512), "512");
  EXPECT_EQ(ApproxMemory(0), "-");
  EXPECT_EQ(ApproxMemory(-5), "-");
  EXPECT_FALSE(ApproxMemory(INT64_MAX).empty());
}

TEST(DroneFieldsTest, JoinedDrone) {
  Json d = Json::parse(testing::kIzar);
  EXPECT_TRUE(HasJoined(d));
  EXPECT_EQ(ReadyStatus(d), "True");
  EXPECT_EQ(ReadyReason(d), "HeartbeatReceived");
  EXPECT_EQ(CoresColumn(d), "16");
  EXPECT_EQ(MemoryColumn(d), "32Gi (42%)");
  EXPECT_EQ(DiskColumn(d), "63%");
  EXPECT_EQ(LoadColumn(d), "3.20");
  EXPECT_EQ(LastSeenColumn(d, CannedNow()), "5s");
}

TEST(DroneFieldsTest, NeverJoinedDroneShowsPlaceholders) {
  Json d = Json::parse(testing::kDesktop);
  EXPECT_FALSE(HasJoined(d));
  EXPECT_EQ(ReadyStatus(d), "Unknown");
  EXPECT_EQ(ReadyReason(d), "NeverJoined");
  EXPECT_EQ(CoresColumn(d), "-");
  EXPECT_EQ(MemoryColumn(d), "-");
  EXPECT_EQ(DiskColumn(d), "-");
  EXPECT_EQ(LoadColumn(d), "-");
  EXPECT_EQ(LastSeenColumn(d, CannedNow()), "<never>");
}

TEST(DroneFieldsTest, OddDroneDoesNotCrash) {
  Json d = Json::parse(R"({"status": {"conditions": [{"type": "Ready", "status": "Maybe"}],
    "lastHeartbeatTime": "last tuesday", "resources": "lots"}})");
  EXPECT_EQ(ReadyStatus(d), "Unknown");
  EXPECT_EQ(ReadyReason(d), "<none>");
  EXPECT_EQ(CoresColumn(d), "-");
  EXPECT_EQ(MemoryColumn(d), "-");
  EXPECT_EQ(LastSeenColumn(d, CannedNow()), "<unknown>");
  EXPECT_EQ(ReadyStatus(Json::object()), "Unknown");
}

TEST(DroneFieldsTest, ConditionColumnShowsTheReasonUnlessTrue) {
  Json d = Json::parse(R"({"status": {"conditions": [
    {"type": "Deployed", "status": "False", "reason": "DeployFailed"},
    {"type": "TreeSynced", "status": "True", "reason": "Synced"},
    {"type": "Odd", "status": "Unknown"}]}})");
  EXPECT_EQ(ConditionColumn(d, "Deployed"), "False (DeployFailed)");
  EXPECT_EQ(ConditionColumn(d, "TreeSynced"), "True");
  EXPECT_EQ(ConditionColumn(d, "Odd"), "Unknown");
  EXPECT_EQ(ConditionColumn(d, "Ready"), "-");
  EXPECT_EQ(ConditionColumn(Json::object(), "Ready"), "-");
}

TEST(DroneFieldsTest, ActionsColumnListsTypeAndState) {
  Json d = Json::parse(R"({"status": {"actions": [{"id": "1", "type": "sync", "state": "Running"},
    {"id": "2", "type": "deploy", "state": "Queued"}, {"id": "3"}, 7]}})");
  EXPECT_EQ(ActionsColumn(d), "sync Running, deploy Queued, ?");
  EXPECT_EQ(ActionsColumn(Json::parse(testing::kIzar)), "<none>");
}

TEST(DroneFieldsTest, StatusColumnAsKubectlSpellsANodes) {
  EXPECT_EQ(StatusColumn(Json::parse(testing::kIzar)), "Ready");
  EXPECT_EQ(StatusColumn(Json::parse(testing::kMeridian)), "Unknown");
  EXPECT_EQ(StatusColumn(Json::parse(testing::kDesktop)), "Unknown");
  Json tarn = Json::parse(testing::kTarn);
  EXPECT_TRUE(IsCordoned(tarn));
  EXPECT_TRUE(IsGrounded(tarn));
  EXPECT_EQ(StatusColumn(tarn), "Ready,SchedulingDisabled,Grounded");
  tarn["status"]["conditions"][0]["status"] = "False";
  tarn["status"]["conditions"][1]["status"] = "False";
  EXPECT_EQ(StatusColumn(tarn), "NotReady,SchedulingDisabled");
  tarn["status"]["cordoned"] = "true";  // not a bool: not cordoned
  EXPECT_FALSE(IsCordoned(tarn));
  EXPECT_EQ(StatusColumn(tarn), "NotReady");
  EXPECT_EQ(StatusColumn(Json::object()), "Unknown");
  EXPECT_FALSE(IsGrounded(Json::parse(R"({"status": {"conditions": "Grounded"}})")));
}

TEST(DroneFieldsTest, BuildingColumnNamesTheFirstAndCountsTheRest) {
  Json d = Json::parse(R"({"status": {"assignments": []}})");
  EXPECT_EQ(BuildingColumn(d, false), "<none>");
  d["status"]["assignments"] = {"dev-libs/openssl-3.3.3"};
  EXPECT_EQ(BuildingColumn(d, false), "dev-libs/openssl-3.3.3");
  d["status"]["assignments"] = {"dev-libs/openssl-3.3.3", "net-misc/curl-8.11.1", 5,
                                "sys-apps/systemd-utils-6.22.0"};
  EXPECT_EQ(BuildingColumn(d, false), "dev-libs/openssl-3.3.3 (+2 more)");
  EXPECT_EQ(BuildingColumn(d, true),
            "dev-libs/openssl-3.3.3,net-misc/curl-8.11.1,sys-apps/systemd-utils-6.22.0");
  EXPECT_EQ(BuildingColumn(Json::parse(R"({"status": {"assignments": "x"}})"), false), "<none>");
}

TEST(DroneFieldsTest, ShortRevisionKeepsTwelveCharacters) {
  EXPECT_EQ(ShortRevision("9fc7a49ad6496faebea1c1d1848199fb6278bcec"), "9fc7a49ad649");
  EXPECT_EQ(ShortRevision("abc"), "abc");
  EXPECT_EQ(ShortRevision(""), "<none>");
}

}  // namespace
}  // namespace swarm::ctl

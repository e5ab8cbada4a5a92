#include "swarmctl/drone_table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/canned_reconciled.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;

std::string RenderDrones(const std::string& list_json, bool wide) {
  Json list = Json::parse(list_json);
  std::vector<const Json*> drones;
  for (const auto& d : list["items"]) drones.push_back(&d);
  std::ostringstream out;
  PrintDroneTable(drones, wide, CannedNow(), out);
  return out.str();
}

std::string List(const std::vector<std::string>& drones) {
  std::string items;
  for (const auto& d : drones) items += (items.empty() ? "" : ",") + d;
  return R"({"kind": "DroneList", "items": [)" + items + "]}";
}

TEST(DroneTableTest, DefaultColumnsIncludingANeverJoinedDrone) {
  EXPECT_EQ(RenderDrones(testing::kDroneList, false),
            "NAME             READY     STATUS    HEALTH     DEPLOYED     TREE           CORES   "
            "MEMORY       LAST SEEN   BUILDING\n"
            "desktop          Unknown   Unknown   <none>     <none>       <none>         -       "
            "-            <never>     <none>\n"
            "drone-izar       True      Ready     HEALTHY    2026.02.05   9fc7a49ad649   16      "
            "32Gi (42%)   5s          <none>\n"
            "drone-meridian   Unknown   Unknown   DEGRADED   2026.02.01   0123456789ab   24      "
            "31Gi (90%)   3m          <none>\n");
}

TEST(DroneTableTest, StatusSaysCordonedAndGroundedAsKubectlDoes) {
  Json lost = Json::parse(testing::kIzar);
  lost["metadata"]["name"] = "drone-vega";
  lost["status"]["conditions"][0]["status"] = "False";
  lost["status"]["cordoned"] = true;
  const std::string out = RenderDrones(List({testing::kTarn, lost.dump()}), false);
  EXPECT_EQ(out,
            "NAME         READY   STATUS                              HEALTH    DEPLOYED     TREE  "
            "         CORES   MEMORY       LAST SEEN   BUILDING\n"
            "drone-tarn   True    Ready,SchedulingDisabled,Grounded   HEALTHY   2026.02.05   "
            "9fc7a49ad649   8       16Gi (22%)   2s          <none>\n"
            "drone-vega   False   NotReady,SchedulingDisabled         HEALTHY   2026.02.05   "
            "9fc7a49ad649   16      32Gi (42%)   5s          <none>\n");
}

TEST(DroneTableTest, BuildingShowsTheFirstPackageAndCountsTheRest) {
  Json two = Json::parse(
      testing::ConvergedDrone("drone-izar", "build", "dev-libs/openssl-3.3.3", "7c1e09aa-b42"));
  two["status"]["assignments"].push_back("net-misc/curl-8.11.1");
  const std::string list =
      List({two.dump(), testing::ConvergedDrone("drone-meridian", "build",
                                                "dev-qt/qtwebengine-6.8.1", "3d5f7a21-c09")});
  std::string out = RenderDrones(list, false);
  EXPECT_NE(out.find("   5s          dev-libs/openssl-3.3.3 (+1 more)\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("   5s          dev-qt/qtwebengine-6.8.1\n"), std::string::npos) << out;

  out = RenderDrones(list, true);
  EXPECT_NE(out.find("   <none>    dev-libs/openssl-3.3.3,net-misc/curl-8.11.1\n"),
            std::string::npos)
      << out;
}

TEST(DroneTableTest, WideAddsDiskLoadFailuresRolesLabelsReasonsActions) {
  std::string out = RenderDrones(testing::kDroneList, true);
  std::istringstream lines(out);
  std::string header, desktop, izar, meridian;
  std::getline(lines, header);
  std::getline(lines, desktop);
  std::getline(lines, izar);
  std::getline(lines, meridian);
  EXPECT_NE(header.find("LAST SEEN   DISK   LOAD    FAILURES   ROLES      LABELS"),
            std::string::npos)
      << header;
  EXPECT_NE(header.find("   REASON              HEALTH REASON       ACTIONS   BUILDING"),
            std::string::npos)
      << header;
  EXPECT_EQ(header.substr(header.rfind("BUILDING")), "BUILDING");
  EXPECT_NE(desktop.find("<never>     -      -       0          discover   <none>"),
            std::string::npos)
      << desktop;
  EXPECT_EQ(desktop.substr(desktop.size() - 56),
            "NeverJoined         <none>              <none>    <none>");
  EXPECT_NE(izar.find("63%    3.20    0          build      cores=16,memory=32Gi,site=milky-way   "
                      "HeartbeatReceived"),
            std::string::npos)
      << izar;
  EXPECT_NE(meridian.find("12%    11.75   2          build      cores=24,memory=64Gi"),
            std::string::npos)
      << meridian;
  EXPECT_EQ(meridian.substr(meridian.size() - 56),
            "HeartbeatMissed     memory 90% >= 85%   <none>    <none>");
}

TEST(DroneTableTest, DroneWithNothingButANameStillRenders) {
  EXPECT_EQ(RenderDrones(R"({"items": [{"metadata": {"name": "bare"}}, {}]})", false),
            "NAME     READY     STATUS    HEALTH   DEPLOYED   TREE     CORES   MEMORY   LAST SEEN"
            "   BUILDING\n"
            "bare     Unknown   Unknown   <none>   <none>     <none>   -       -        <never>  "
            "   <none>\n"
            "<none>   Unknown   Unknown   <none>   <none>     <none>   -       -        <never>  "
            "   <none>\n");
}

TEST(DroneTableTest, OddTypesReadAsAbsent) {
  const std::string out = RenderDrones(
      R"({"items": [{"metadata": {"name": "odd"}, "status": {"cordoned": "yes",
          "assignments": "dev-libs/openssl-3.3.3", "consecutiveFailures": "many",
          "conditions": [{"type": "Grounded", "status": true}], "healthReason": 7}}]})",
      true);
  EXPECT_NE(out.find("\nodd    Unknown   Unknown   <none>"), std::string::npos) << out;
  EXPECT_NE(out.find("   -          <none>   <none>   <none>   <none>          <none>    <none>\n"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace swarm::ctl

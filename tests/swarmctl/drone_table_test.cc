#include "swarmctl/drone_table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;

std::string Render(const std::string& list_json, bool wide) {
  Json list = Json::parse(list_json);
  std::vector<const Json*> drones;
  for (const auto& d : list["items"]) drones.push_back(&d);
  std::ostringstream out;
  PrintDroneTable(drones, wide, CannedNow(), out);
  return out.str();
}

TEST(DroneTableTest, DefaultColumnsIncludingANeverJoinedDrone) {
  EXPECT_EQ(
      Render(testing::kDroneList, false),
      "NAME             READY     HEALTH     DEPLOYED     TREE           CORES   MEMORY       "
      "LAST SEEN\n"
      "desktop          Unknown   <none>     <none>       <none>         -       -            "
      "<never>\n"
      "drone-izar       True      HEALTHY    2026.02.05   9fc7a49ad649   16      32Gi (42%)   "
      "5s\n"
      "drone-meridian   Unknown   DEGRADED   2026.02.01   0123456789ab   24      31Gi (90%)   "
      "3m\n");
}

TEST(DroneTableTest, WideAddsDiskLoadRolesLabelsReason) {
  std::string out = Render(testing::kDroneList, true);
  std::istringstream lines(out);
  std::string header, desktop, izar, meridian;
  std::getline(lines, header);
  std::getline(lines, desktop);
  std::getline(lines, izar);
  std::getline(lines, meridian);
  EXPECT_NE(header.find("LAST SEEN   DISK   LOAD    ROLES      LABELS"), std::string::npos)
      << header;
  EXPECT_NE(header.find("   REASON              ACTIONS"), std::string::npos) << header;
  EXPECT_EQ(header.substr(header.rfind("ACTIONS")), "ACTIONS");
  EXPECT_NE(desktop.find("<never>     -      -       discover   <none>"), std::string::npos)
      << desktop;
  EXPECT_EQ(desktop.substr(desktop.size() - 26), "NeverJoined         <none>");
  EXPECT_NE(izar.find("63%    3.20    build      cores=16,memory=32Gi,site=milky-way   "
                      "HeartbeatReceived"),
            std::string::npos)
      << izar;
  EXPECT_NE(meridian.find("12%    11.75   build      cores=24,memory=64Gi"), std::string::npos)
      << meridian;
  EXPECT_EQ(meridian.substr(meridian.size() - 26), "HeartbeatMissed     <none>");
}

TEST(DroneTableTest, DroneWithNothingButANameStillRenders) {
  EXPECT_EQ(Render(R"({"items": [{"metadata": {"name": "bare"}}, {}]})", false),
            "NAME     READY     HEALTH   DEPLOYED   TREE     CORES   MEMORY   LAST SEEN\n"
            "bare     Unknown   <none>   <none>     <none>   -       -        <never>\n"
            "<none>   Unknown   <none>   <none>     <none>   -       -        <never>\n");
}

}  // namespace
}  // namespace swarm::ctl

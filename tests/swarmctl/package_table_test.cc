#include "swarmctl/package_table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned_reconciled.h"

namespace swarm::ctl {
namespace {

std::string Render(const std::string& list_json, bool wide) {
  Json list = Json::parse(list_json);
  std::vector<const Json*> packages;
  for (const auto& p : list["items"]) packages.push_back(&p);
  std::ostringstream out;
  PrintPackageTable(packages, wide, out);
  return out.str();
}

TEST(PackageTableTest, DefaultColumnsCutTheReason) {
  EXPECT_EQ(Render(testing::kPackageList, false),
            "NAME                            PHASE      DRONE            ATTEMPTS   DEPS   REASON\n"
            "sys-apps/systemd-utils-6.22.0   Complete   drone-izar       1          0      <none>\n"
            "dev-libs/openssl-3.3.3          Building   drone-izar       1          1      <none>\n"
            "dev-qt/qtwebengine-6.8.1        Building   drone-meridian   2          0      <none>\n"
            "net-misc/curl-8.11.1            Needed     <none>           0          2      <none>\n"
            "media-libs/mesa-24.3.3          Blocked    <none>           2          0      "
            "failed alike on drone-izar and drone-...\n"
            "app-misc/broken-1.0             Failed     <none>           3          0      "
            "gave up after 3 fetch failures\n");
}

TEST(PackageTableTest, WideAddsDependenciesExcludedLastFailureTree) {
  const std::string out = Render(testing::kPackageList, true);
  std::istringstream lines(out);
  std::string header, systemd, openssl, qt, curl, mesa;
  for (std::string* l : {&header, &systemd, &openssl, &qt, &curl, &mesa}) std::getline(lines, *l);
  EXPECT_EQ(header,
            "NAME                            PHASE      DRONE            ATTEMPTS   DEPS   REASON"
            "                                                         DEPENDENCIES"
            "                                           EXCLUDED                    LAST FAILURE"
            "                                             TREE");
  EXPECT_EQ(qt,
            "dev-qt/qtwebengine-6.8.1        Building   drone-meridian   2          0      <none>"
            "                                                         <none>"
            "                                                 drone-izar                  "
            "DroneResources: killed by the OOM killer                 b001a823ca12");
  EXPECT_NE(curl.find("   dev-libs/openssl-3.3.3,sys-apps/systemd-utils-6.22.0   <none>   "),
            std::string::npos)
      << curl;
  EXPECT_NE(mesa.find("   failed alike on drone-izar and drone-meridian: compile error   "),
            std::string::npos)
      << mesa;
  EXPECT_NE(mesa.find("   drone-izar,drone-meridian   Package: compile error in src/gallium/"
                      "drivers/radeonsi   b001a823ca12"),
            std::string::npos)
      << mesa;
}

TEST(PackageTableTest, MissingFieldsShowPlaceholders) {
  EXPECT_EQ(Render(R"({"items": [{"metadata": {"name": "a/b-1"}}, {}]})", true),
            "NAME     PHASE    DRONE    ATTEMPTS   DEPS   REASON   DEPENDENCIES   EXCLUDED   "
            "LAST FAILURE   TREE\n"
            "a/b-1    <none>   <none>   -          0      <none>   <none>         <none>     "
            "<none>         <none>\n"
            "<none>   <none>   <none>   -          0      <none>   <none>         <none>     "
            "<none>         <none>\n");
}

TEST(PackageTableTest, LastFailureColumn) {
  EXPECT_EQ(LastFailureColumn(Json::parse(R"({"status": {"lastFailure": null}})")), "<none>");
  EXPECT_EQ(LastFailureColumn(Json::parse(R"({"status": {"lastFailure": {"class": "Fetch"}}})")),
            "Fetch");
  EXPECT_EQ(LastFailureColumn(Json::parse(
                R"({"status": {"lastFailure": {"message": "out of\nmemory", "drone": "x"}}})")),
            "out of memory");
}

}  // namespace
}  // namespace swarm::ctl

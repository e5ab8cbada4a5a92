#include "swarmctl/package_table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned_reconciled.h"

namespace swarm::ctl {
namespace {

std::string RenderPackages(const std::string& list_json, bool wide) {
  Json list = Json::parse(list_json);
  std::vector<const Json*> packages;
  for (const auto& p : list["items"]) packages.push_back(&p);
  std::ostringstream out;
  PrintPackageTable(packages, wide, out);
  return out.str();
}

TEST(PackageTableTest, DefaultColumnsCutTheReasonOrTheLastFailure) {
  EXPECT_EQ(RenderPackages(testing::kPackageList, false),
            "NAME                            PHASE      DRONE            ATTEMPTS   DEPS   REASON\n"
            "sys-apps/systemd-utils-6.22.0   Complete   drone-izar       1          0      <none>\n"
            "dev-libs/openssl-3.3.3          Building   drone-izar       1          1      <none>\n"
            "dev-qt/qtwebengine-6.8.1        Building   drone-meridian   2          0      "
            "DroneResources on drone-izar: Killed...\n"
            "net-misc/curl-8.11.1            Needed     <none>           0          2      <none>\n"
            "media-libs/mesa-24.3.3          Blocked    <none>           2          0      "
            "failed to build on drone-izar and dro...\n"
            "app-misc/broken-1.0             Failed     <none>           3          0      "
            "gave up after 3 fetch failures\n");
}

TEST(PackageTableTest, WideAddsDependenciesExcludedLastFailureTree) {
  const std::string out = RenderPackages(testing::kPackageList, true);
  std::istringstream lines(out);
  std::string header, systemd, openssl, qt, curl, mesa;
  for (std::string* l : {&header, &systemd, &openssl, &qt, &curl, &mesa}) std::getline(lines, *l);
  const std::string reason =
      "failed to build on drone-izar and drone-meridian (last: compile error in "
      "src/gallium/drivers/radeonsi); fix the package or its USE flags, then swarmctl fresh";
  const std::string failure =
      "Package on drone-meridian: compile error in src/gallium/drivers/radeonsi";
  EXPECT_EQ(header,
            "NAME                            PHASE      DRONE            ATTEMPTS   DEPS   "
            "REASON" +
                std::string(reason.size() - 6 + 3, ' ') +
                "DEPENDENCIES                                           "
                "EXCLUDED                    LAST FAILURE" +
                std::string(failure.size() - 12 + 3, ' ') + "TREE");
  // The last failure has a column of its own: REASON is status.reason alone.
  EXPECT_EQ(qt,
            "dev-qt/qtwebengine-6.8.1        Building   drone-meridian   2          0      "
            "<none>" +
                std::string(reason.size() - 6 + 3, ' ') +
                "<none>                                                 "
                "drone-izar                  "
                "DroneResources on drone-izar: Killed signal terminated program cc1plus     "
                "b001a823ca12");
  EXPECT_NE(curl.find("   dev-libs/openssl-3.3.3,sys-apps/systemd-utils-6.22.0   <none>   "),
            std::string::npos)
      << curl;
  EXPECT_NE(mesa.find("      " + reason + "   "), std::string::npos) << mesa;
  EXPECT_NE(mesa.find("   drone-izar,drone-meridian   " + failure + "   b001a823ca12"),
            std::string::npos)
      << mesa;
}

TEST(PackageTableTest, MissingFieldsShowPlaceholders) {
  EXPECT_EQ(RenderPackages(R"({"items": [{"metadata": {"name": "a/b-1"}}, {}]})", true),
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
  EXPECT_EQ(LastFailureColumn(Json::parse(
                R"({"status": {"lastFailure": {"class": "DroneResources", "drone": "drone-tarn",
                    "message": "Killed signal terminated program cc1plus"}}})")),
            "DroneResources on drone-tarn: Killed signal terminated program cc1plus");
  EXPECT_EQ(LastFailureColumn(Json::parse(R"({"status": {"lastFailure": [1, 2]}})")), "<none>");
}

TEST(PackageTableTest, ReasonTextPrefersTheReasonAndNeverBlamesACompletePackage) {
  const Json failure = {{"class", "Fetch"}, {"message", "no mirror"}, {"drone", "drone-izar"}};
  Json p = {{"status", {{"phase", "Needed"}, {"reason", ""}, {"lastFailure", failure}}}};
  EXPECT_EQ(ReasonText(p), "Fetch on drone-izar: no mirror");
  p["status"]["reason"] = "gave up\nafter 3 fetch failures";
  EXPECT_EQ(ReasonText(p), "gave up after 3 fetch failures");
  p["status"]["reason"] = "";
  p["status"]["phase"] = "Complete";
  EXPECT_EQ(ReasonText(p), "");
  EXPECT_EQ(ReasonText(Json::parse(R"({"status": {"reason": 3, "lastFailure": "x"}})")), "");
}

}  // namespace
}  // namespace swarm::ctl

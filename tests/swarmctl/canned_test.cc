// The canned replies swarmctl's tests read must be what the controller's own
// encoders write: each is decoded and encoded again with the codecs in api/
// and must come back unchanged. Renaming or dropping a field in an encoder
// breaks this test, instead of leaving swarmctl tested against a shape the
// controller no longer sends.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/codec.h"
#include "api/protocol.h"
#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/canned_reconciled.h"

namespace swarm::ctl {
namespace {

using nlohmann::json;

json Reencoded(const json& drone) {
  api::Drone d;
  d.name = drone.at("metadata").at("name");
  for (const auto& [k, v] : drone.at("spec").at("labels").items()) d.spec.labels[k] = v;
  for (const auto& r : drone.at("spec").at("roles")) d.spec.roles.push_back(r);
  auto status = api::DroneStatusFromJson(drone.at("status"));
  EXPECT_TRUE(status.ok()) << status.status().ToString();
  if (status.ok()) d.status = *status;
  return api::DroneToJson(d);
}

TEST(CannedRepliesTest, DronesAreWhatTheControllerWrites) {
  std::vector<json> drones;
  for (const std::string* list : {&testing::kDroneList, &testing::kConvergedDrones}) {
    const json parsed = json::parse(*list);
    for (const auto& d : parsed.at("items")) drones.push_back(d);
  }
  drones.push_back(json::parse(testing::kTarn));
  ASSERT_GE(drones.size(), 7u);
  for (const auto& d : drones) {
    EXPECT_EQ(Reencoded(d), d) << d.at("metadata").at("name");
  }
}

TEST(CannedRepliesTest, PackagesAreWhatTheControllerWrites) {
  const json list = json::parse(testing::kPackageList);
  ASSERT_FALSE(list.at("items").empty());
  for (const auto& p : list.at("items")) {
    auto decoded = api::PackageFromJson(p);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(api::PackageToJson(*decoded), p) << p.at("metadata").at("name");
  }
}

TEST(CannedRepliesTest, SwarmStatusesAreWhatTheControllerWrites) {
  for (const std::string* swarm : {&testing::kSwarm, &testing::kReconciledSwarm}) {
    const json status = json::parse(*swarm).at("status");
    auto decoded = api::SwarmStatusFromJson(status);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(api::SwarmStatusToJson(*decoded), status);
  }
}

}  // namespace
}  // namespace swarm::ctl

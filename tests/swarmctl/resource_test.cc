#include "swarmctl/resource.h"

#include <gtest/gtest.h>

namespace swarm::ctl {
namespace {

const std::vector<Resource> kAll = {Resource::kSwarm, Resource::kDrone, Resource::kPackage};

TEST(ResourceTest, AcceptsEverySpelling) {
  for (const char* s : {"swarm", "swarms"}) EXPECT_EQ(*ParseResource(s, kAll), Resource::kSwarm);
  for (const char* s : {"drone", "drones"}) EXPECT_EQ(*ParseResource(s, kAll), Resource::kDrone);
  for (const char* s : {"package", "packages", "pkg", "pkgs"}) {
    EXPECT_EQ(*ParseResource(s, kAll), Resource::kPackage) << s;
  }
  for (const char* s : {"release", "releases"}) {
    EXPECT_EQ(*ParseResource(s, {Resource::kRelease}), Resource::kRelease) << s;
  }
  auto r = ParseResource("releases", kAll);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "this command does not take \"releases\" (want swarm, drones or packages)");
}

TEST(ResourceTest, NamesWhatTheVerbTakes) {
  auto r = ParseResource("pods", kAll);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "unknown resource type \"pods\" (want swarm, drones or packages)");
  r = ParseResource("pkg", {Resource::kSwarm, Resource::kDrone});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "this command does not take \"pkg\" (want swarm or drones)");
}

}  // namespace
}  // namespace swarm::ctl

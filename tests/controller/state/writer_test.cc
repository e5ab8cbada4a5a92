#include "controller/state/writer.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

api::Swarm OneDroneSwarm() {
  api::Swarm s;
  s.metadata.name = "home";
  s.metadata.generation = 1;
  s.spec.portage.tree_revision = "rev1";
  s.spec.deploy.version = "v1";
  s.spec.drones.push_back({"izar", {}, {}});
  return s;
}

api::Package Needed(const std::string& name) {
  api::Package p;
  p.name = name;
  p.phase = api::kPhaseNeeded;
  return p;
}

// Records what it is told.
class Recorder final : public CommitListener {
 public:
  void PackageChanged(const api::Package& before, const api::Package& after) override {
    changed.push_back(before.phase + "->" + after.phase);
  }
  void QueueReplaced(const std::vector<api::Package>& before, const PackageQueue& after) override {
    replaced.push_back(std::to_string(before.size()) + "->" + std::to_string(after.size()));
  }
  std::vector<std::string> changed;
  std::vector<std::string> replaced;
};

class StateWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_.File("state.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    writer_ = std::make_unique<StateWriter>(store_.get(), &clock_, &state_);
    writer_->AddListener(&recorder_);
    Changes c;
    c.swarm = OneDroneSwarm();
    c.queue = std::vector<api::Package>{Needed("dev-libs/a-1"), Needed("dev-libs/b-1")};
    ASSERT_TRUE(writer_->Commit(std::move(c)).ok());
  }

  ::swarm::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  SwarmState state_;
  Recorder recorder_;
  std::unique_ptr<StateWriter> writer_;
};

TEST_F(StateWriterTest, ADecisionIsStoredWholeThenApplied) {
  Changes c;
  c.Package(state_, 0).phase = api::kPhaseBuilding;
  c.Drone(state_, "izar").cordoned = true;
  c.Swarm(state_).status.queue.tree_revision = "rev1";
  c.Event(api::kKindDrone, "izar", "Normal", "DroneCordoned", "izar cordoned");
  clock_.Advance(Duration(5000));
  ASSERT_TRUE(writer_->Commit(std::move(c)).ok());

  EXPECT_EQ(state_.packages[0].phase, api::kPhaseBuilding);
  EXPECT_TRUE(state_.Status("izar").cordoned);
  EXPECT_EQ(state_.swarm->metadata.resource_version, 1 + 1);
  EXPECT_EQ(recorder_.changed, std::vector<std::string>{"Needed->Building"});

  auto swarm = store_->GetSwarm();
  ASSERT_TRUE(swarm.ok() && swarm->has_value());
  EXPECT_EQ((*swarm)->status.queue.tree_revision, "rev1");
  EXPECT_EQ((*swarm)->metadata.resource_version, state_.swarm->metadata.resource_version);
  auto packages = store_->ListPackages();
  ASSERT_TRUE(packages.ok());
  ASSERT_EQ(packages->size(), 2u);
  EXPECT_EQ((*packages)[0].phase, api::kPhaseBuilding);
  auto drone = store_->GetDroneStatus("izar");
  ASSERT_TRUE(drone.ok());
  EXPECT_TRUE(drone->cordoned);
  auto events = store_->ListEvents({"Drone", "izar", 10});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].first_timestamp, clock_.Now()) << "events take the commit's time";
}

TEST_F(StateWriterTest, AFailedCommitChangesNothingInTheStoreOrInMemory) {
  const api::Swarm swarm_before = *state_.swarm;
  recorder_.changed.clear();
  recorder_.replaced.clear();

  store_->CrashAfterCommits(0);
  Changes c;
  c.Package(state_, 1).phase = api::kPhaseBuilding;
  c.Drone(state_, "izar").cordoned = true;
  c.Swarm(state_).status.queue.tree_revision = "rev2";
  c.Event(api::kKindDrone, "izar", "Normal", "DroneCordoned", "izar cordoned");
  EXPECT_FALSE(writer_->Commit(std::move(c)).ok());

  EXPECT_EQ(state_.packages[1].phase, api::kPhaseNeeded);
  EXPECT_FALSE(state_.Status("izar").cordoned);
  EXPECT_EQ(*state_.swarm, swarm_before);
  EXPECT_TRUE(recorder_.changed.empty());
  EXPECT_TRUE(recorder_.replaced.empty());
}

TEST_F(StateWriterTest, WhatAHeartbeatObservesStaysInMemory) {
  Changes c;
  c.observed["izar"].resources.cores = 16;
  ASSERT_TRUE(writer_->Commit(std::move(c)).ok());
  EXPECT_EQ(state_.Status("izar").resources.cores, 16);
  EXPECT_EQ(store_->GetDroneStatus("izar").status().code(), StatusCode::kNotFound);

  // Stored and observed in one decision: the stored one wins.
  Changes both;
  both.observed["izar"].resources.cores = 2;
  both.drones["izar"].resources.cores = 8;
  ASSERT_TRUE(writer_->Commit(std::move(both)).ok());
  EXPECT_EQ(state_.Status("izar").resources.cores, 8);
  auto stored = store_->GetDroneStatus("izar");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->resources.cores, 8);
}

TEST_F(StateWriterTest, ADecisionMemoryCouldNotApplyIsNotWritten) {
  Changes unknown;
  unknown.packages["dev-libs/gone-1"] = Needed("dev-libs/gone-1");
  EXPECT_EQ(writer_->Commit(std::move(unknown)).code(), StatusCode::kInternal);

  Changes both;
  both.Package(state_, 0).phase = api::kPhaseBuilding;
  both.queue = std::vector<api::Package>{Needed("dev-libs/c-1")};
  EXPECT_EQ(writer_->Commit(std::move(both)).code(), StatusCode::kInternal);

  auto packages = store_->ListPackages();
  ASSERT_TRUE(packages.ok());
  EXPECT_EQ(packages->size(), 2u);
  EXPECT_EQ((*packages)[0].phase, api::kPhaseNeeded);
}

TEST_F(StateWriterTest, ListenersAreToldOfAReplacedQueue) {
  EXPECT_EQ(recorder_.replaced, std::vector<std::string>{"0->2"});
  EXPECT_EQ(state_.packages.size(), 2u);
  EXPECT_EQ(state_.swarm->metadata.resource_version, 1);
}

}  // namespace
}  // namespace swarm::controller

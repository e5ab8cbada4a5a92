#include "controller/store/store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "api/codec.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

using ::swarm::testing::TempDir;

std::unique_ptr<Store> MustOpenStore(const std::string& path) {
  auto store = Store::Open(path);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

api::Swarm SampleSwarm(WallTime now) {
  api::Swarm s;
  s.metadata.name = "home";
  s.metadata.generation = 3;
  s.metadata.resource_version = 17;
  // Sub-second on purpose: metadata times are kept exactly.
  s.metadata.creation_timestamp = now + std::chrono::milliseconds(250);
  s.metadata.annotations = {{"owner", "ops"}, {"note", "line one\nline two"}};
  s.spec.portage.tree_revision = "9fc7a49ad6496faebea1c1d1848199fb6278bcec";
  s.spec.deploy.version = "2026.02.05";
  s.spec.queue.discover_on = "desktop";
  s.spec.queue.targets = {"@world"};
  s.spec.queue.emerge_args = "--update --deep --newuse --with-bdeps=y";
  api::Requirement req;
  req.match = "dev-qt/qtwebengine";
  req.memory = "32Gi";
  req.memory_bytes = int64_t{32} << 30;
  s.spec.queue.requirements = {req};
  s.spec.drones = {
      {"drone-izar", {{"cores", "16"}, {"memory", "32Gi"}, {"site", "milky-way"}}, {}},
      {"desktop", {}, {"discover"}},
  };
  s.status.observed_generation = 2;
  s.status.conditions = {
      {"Ready", api::kFalse, "DronesNotReady", "1 of 2 drones ready", now},
      {"SystemicFault", api::kUnknown, "NoData", "nothing observed yet",
       now - std::chrono::hours(1)},
  };
  return s;
}

api::DroneStatus SampleDroneStatus(WallTime now) {
  api::DroneStatus d;
  d.conditions = {{"Ready", api::kTrue, "HeartbeatReceived", "heartbeats arrive", now}};
  d.health = "HEALTHY";
  d.deploy_version = "2026.02.05";
  d.tree_revision = "9fc7a49ad6496faebea1c1d1848199fb6278bcec";
  d.resources = {16, int64_t{32} << 30, 41.5, 63.0, 3.25};
  d.assignments = {"dev-lang/rust-1.75.0"};
  d.consecutive_failures = 2;
  d.last_heartbeat_time = now;
  return d;
}

api::Event MakeEvent(const std::string& kind, const std::string& name, const std::string& reason,
                     const std::string& message, WallTime at) {
  api::Event e;
  e.object_kind = kind;
  e.object_name = name;
  e.type = "Normal";
  e.reason = reason;
  e.message = message;
  e.first_timestamp = e.last_timestamp = at;
  return e;
}

void ExpectSameSwarm(const api::Swarm& got, const api::Swarm& want) {
  EXPECT_EQ(api::SwarmToJson(got), api::SwarmToJson(want));
  EXPECT_EQ(got.metadata.name, want.metadata.name);
  EXPECT_EQ(got.metadata.generation, want.metadata.generation);
  EXPECT_EQ(got.metadata.resource_version, want.metadata.resource_version);
  EXPECT_EQ(got.metadata.creation_timestamp, want.metadata.creation_timestamp);
  EXPECT_EQ(got.metadata.annotations, want.metadata.annotations);
  EXPECT_EQ(got.status.observed_generation, want.status.observed_generation);
  ASSERT_EQ(got.status.conditions.size(), want.status.conditions.size());
  for (size_t i = 0; i < want.status.conditions.size(); ++i) {
    const auto& g = got.status.conditions[i];
    const auto& w = want.status.conditions[i];
    EXPECT_EQ(g.type, w.type);
    EXPECT_EQ(g.status, w.status);
    EXPECT_EQ(g.reason, w.reason);
    EXPECT_EQ(g.message, w.message);
    EXPECT_EQ(g.last_transition_time, w.last_transition_time);
  }
}

// Runs SQL on the file with a connection of its own, as another program would.
void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

std::string RawQuery(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("state.db");
    store_ = MustOpenStore(path_);
    ASSERT_NE(store_, nullptr);
  }

  TempDir dir_;
  std::string path_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, OpenCreatesAnEmptyWalDatabase) {
  EXPECT_TRUE(std::filesystem::exists(path_));
  auto swarm = store_->GetSwarm();
  ASSERT_TRUE(swarm.ok()) << swarm.status().ToString();
  EXPECT_FALSE(swarm->has_value());
  auto drones = store_->ListDroneStatuses();
  ASSERT_TRUE(drones.ok());
  EXPECT_TRUE(drones->empty());
  auto events = store_->ListEvents({});
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
  EXPECT_EQ(RawQuery(path_, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(RawQuery(path_, "PRAGMA user_version"), "3");
}

TEST_F(StoreTest, ReopenKeepsData) {
  api::Swarm swarm = SampleSwarm(clock_.Now());
  ASSERT_TRUE(store_->PutSwarm(swarm).ok());
  ASSERT_TRUE(store_->PutDroneStatus("drone-izar", SampleDroneStatus(clock_.Now())).ok());
  ASSERT_TRUE(
      store_->RecordEvent(MakeEvent("Swarm", "home", "SwarmCreated", "created", clock_.Now()))
          .ok());
  store_.reset();

  auto reopened = MustOpenStore(path_);
  ASSERT_NE(reopened, nullptr);
  auto got = reopened->GetSwarm();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  ExpectSameSwarm(**got, swarm);
  EXPECT_TRUE(reopened->GetDroneStatus("drone-izar").ok());
  auto events = reopened->ListEvents({});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].reason, "SwarmCreated");
}

TEST_F(StoreTest, SwarmRoundTripKeepsMetadataStatusAndConditions) {
  api::Swarm swarm = SampleSwarm(clock_.Now());
  ASSERT_TRUE(store_->PutSwarm(swarm).ok());
  auto got = store_->GetSwarm();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  ExpectSameSwarm(**got, swarm);
  EXPECT_EQ((*got)->spec.drones.size(), 2u);
  EXPECT_EQ((*got)->spec.queue.requirements.at(0).memory_bytes, int64_t{32} << 30);
}

TEST_F(StoreTest, PutSwarmReplacesTheOneSwarm) {
  api::Swarm swarm = SampleSwarm(clock_.Now());
  ASSERT_TRUE(store_->PutSwarm(swarm).ok());
  swarm.metadata.generation = 4;
  swarm.metadata.resource_version = 18;
  swarm.metadata.annotations.erase("note");
  swarm.spec.deploy.version = "2026.03.01";
  swarm.status.conditions.pop_back();
  ASSERT_TRUE(store_->PutSwarm(swarm).ok());
  auto got = store_->GetSwarm();
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  ExpectSameSwarm(**got, swarm);
  EXPECT_EQ(RawQuery(path_, "SELECT count(*) FROM swarm"), "1");
}

TEST_F(StoreTest, PutSwarmStatusKeepsTheStoredSpecAndGeneration) {
  EXPECT_EQ(store_->PutSwarmStatus(SampleSwarm(clock_.Now())).code(), StatusCode::kNotFound);
  api::Swarm swarm = SampleSwarm(clock_.Now());
  ASSERT_TRUE(store_->PutSwarm(swarm).ok());
  api::Swarm next = swarm;
  next.metadata.resource_version = 19;
  next.metadata.annotations["buildswarm.io/fresh"] = "2026-12-06T08:00:00.000Z";
  next.status.conditions.pop_back();
  next.metadata.generation = 99;            // not written
  next.spec.deploy.version = "not-written";  // not written
  ASSERT_TRUE(store_->PutSwarmStatus(next).ok());
  auto got = store_->GetSwarm();
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->metadata.resource_version, 19);
  EXPECT_EQ((*got)->metadata.annotations, next.metadata.annotations);
  EXPECT_EQ((*got)->status.conditions.size(), next.status.conditions.size());
  EXPECT_EQ((*got)->metadata.generation, swarm.metadata.generation);
  EXPECT_EQ((*got)->spec.deploy.version, swarm.spec.deploy.version);
}

TEST_F(StoreTest, SwarmWithoutCreationTimestamp) {
  api::Swarm swarm = SampleSwarm(clock_.Now());
  swarm.metadata.creation_timestamp.reset();
  swarm.metadata.annotations.clear();
  swarm.status = {};
  ASSERT_TRUE(store_->PutSwarm(swarm).ok());
  auto got = store_->GetSwarm();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  ExpectSameSwarm(**got, swarm);
}

TEST_F(StoreTest, DroneStatusPutGetListDelete) {
  api::DroneStatus izar = SampleDroneStatus(clock_.Now());
  api::DroneStatus meridian;
  meridian.health = "DEGRADED";
  ASSERT_TRUE(store_->PutDroneStatus("drone-izar", izar).ok());
  ASSERT_TRUE(store_->PutDroneStatus("drone-meridian", meridian).ok());

  auto got = store_->GetDroneStatus("drone-izar");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(api::DroneStatusToJson(*got), api::DroneStatusToJson(izar));
  EXPECT_EQ(got->last_heartbeat_time, izar.last_heartbeat_time);
  EXPECT_EQ(got->consecutive_failures, 2);
  EXPECT_EQ(got->assignments, izar.assignments);

  auto never = store_->GetDroneStatus("drone-meridian");
  ASSERT_TRUE(never.ok());
  EXPECT_FALSE(never->last_heartbeat_time.has_value());
  EXPECT_EQ(never->health, "DEGRADED");

  izar.health = "CRITICAL";
  ASSERT_TRUE(store_->PutDroneStatus("drone-izar", izar).ok());
  auto list = store_->ListDroneStatuses();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  std::map<std::string, api::DroneStatus> by_name(list->begin(), list->end());
  EXPECT_EQ(by_name.at("drone-izar").health, "CRITICAL");
  EXPECT_EQ(by_name.at("drone-meridian").health, "DEGRADED");

  ASSERT_TRUE(store_->DeleteDrone("drone-izar").ok());
  auto gone = store_->GetDroneStatus("drone-izar");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->DeleteDrone("drone-izar").ok());
  list = store_->ListDroneStatuses();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
}

TEST_F(StoreTest, UnknownDroneIsNotFound) {
  auto got = store_->GetDroneStatus("ghost");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
  EXPECT_NE(got.status().message().find("ghost"), std::string::npos);
}

TEST_F(StoreTest, RepeatedEventIsFoldedIntoACount) {
  const WallTime t0 = clock_.Now();
  auto first = store_->RecordEvent(MakeEvent("Drone", "ghost", "NotInRoster", "refused", t0));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GT(first->id, 0);
  EXPECT_EQ(first->count, 1);

  clock_.Advance(std::chrono::seconds(5));
  // Another object's event in between does not stop the folding.
  ASSERT_TRUE(
      store_->RecordEvent(MakeEvent("Drone", "drone-izar", "DroneReady", "joined", clock_.Now()))
          .ok());
  clock_.Advance(std::chrono::seconds(5));
  const WallTime t2 = clock_.Now();
  auto again = store_->RecordEvent(MakeEvent("Drone", "ghost", "NotInRoster", "refused", t2));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->count, 2);
  EXPECT_EQ(again->first_timestamp, t0);
  EXPECT_EQ(again->last_timestamp, t2);

  auto list = store_->ListEvents({"Drone", "ghost", 100});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].count, 2);
  EXPECT_EQ((*list)[0].first_timestamp, t0);
  EXPECT_EQ((*list)[0].last_timestamp, t2);

  // A different message is a new event, and then the old one is no longer the newest.
  ASSERT_TRUE(store_->RecordEvent(MakeEvent("Drone", "ghost", "NotInRoster", "other", t2)).ok());
  auto back = store_->RecordEvent(MakeEvent("Drone", "ghost", "NotInRoster", "refused", t2));
  ASSERT_TRUE(back.ok());
  EXPECT_NE(back->id, first->id);
  EXPECT_EQ(back->count, 1);
  list = store_->ListEvents({"Drone", "ghost", 100});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 3u);
}

TEST_F(StoreTest, EventsArePrunedOldestFirst) {
  store_->set_max_events(3);
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(std::chrono::seconds(1));
    ASSERT_TRUE(store_
                    ->RecordEvent(MakeEvent("Swarm", "home", "SwarmConfigured",
                                            "change " + std::to_string(i), clock_.Now()))
                    .ok());
  }
  auto list = store_->ListEvents({});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].message, "change 2");
  EXPECT_EQ((*list)[1].message, "change 3");
  EXPECT_EQ((*list)[2].message, "change 4");
}

TEST_F(StoreTest, ListEventsFiltersAndReturnsTheNewestOldestFirst) {
  struct {
    const char* kind;
    const char* name;
    const char* reason;
  } recorded[] = {
      {"Swarm", "home", "SwarmCreated"},         {"Drone", "drone-izar", "DroneReady"},
      {"Drone", "drone-meridian", "DroneReady"}, {"Drone", "drone-izar", "DroneUnreachable"},
      {"Swarm", "home", "SwarmConfigured"},      {"Drone", "drone-izar", "DroneReady"},
  };
  for (const auto& r : recorded) {
    clock_.Advance(std::chrono::seconds(1));
    ASSERT_TRUE(store_->RecordEvent(MakeEvent(r.kind, r.name, r.reason, "m", clock_.Now())).ok());
  }
  auto reasons = [](const std::vector<api::Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.object_name + "/" + e.reason);
    return out;
  };

  auto all = store_->ListEvents({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 6u);
  for (size_t i = 1; i < all->size(); ++i) {
    EXPECT_LT((*all)[i - 1].last_timestamp, (*all)[i].last_timestamp);
  }

  auto drones = store_->ListEvents({"Drone", "", 100});
  ASSERT_TRUE(drones.ok());
  EXPECT_EQ(reasons(*drones),
            (std::vector<std::string>{"drone-izar/DroneReady", "drone-meridian/DroneReady",
                                      "drone-izar/DroneUnreachable", "drone-izar/DroneReady"}));

  auto izar_newest = store_->ListEvents({"Drone", "drone-izar", 2});
  ASSERT_TRUE(izar_newest.ok());
  EXPECT_EQ(reasons(*izar_newest),
            (std::vector<std::string>{"drone-izar/DroneUnreachable", "drone-izar/DroneReady"}));

  auto by_name = store_->ListEvents({"", "home", 100});
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(reasons(*by_name),
            (std::vector<std::string>{"home/SwarmCreated", "home/SwarmConfigured"}));

  auto newest_two = store_->ListEvents({"", "", 2});
  ASSERT_TRUE(newest_two.ok());
  EXPECT_EQ(reasons(*newest_two),
            (std::vector<std::string>{"home/SwarmConfigured", "drone-izar/DroneReady"}));

  auto none = store_->ListEvents({"Drone", "ghost", 100});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(StoreTest, TransactionCommitsEverythingOrNothing) {
  const WallTime now = clock_.Now();
  Status st = store_->Transaction([&]() -> Status {
    if (Status s = store_->PutSwarm(SampleSwarm(now)); !s.ok()) return s;
    if (Status s = store_->PutDroneStatus("drone-izar", SampleDroneStatus(now)); !s.ok()) {
      return s;
    }
    auto e = store_->RecordEvent(MakeEvent("Swarm", "home", "SwarmCreated", "created", now));
    if (!e.ok()) return e.status();
    return Conflict("changed my mind");
  });
  EXPECT_EQ(st.code(), StatusCode::kConflict);
  EXPECT_EQ(st.message(), "changed my mind");
  auto swarm = store_->GetSwarm();
  ASSERT_TRUE(swarm.ok());
  EXPECT_FALSE(swarm->has_value());
  EXPECT_EQ(store_->GetDroneStatus("drone-izar").status().code(), StatusCode::kNotFound);
  auto events = store_->ListEvents({});
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());

  st = store_->Transaction([&]() -> Status {
    if (Status s = store_->PutSwarm(SampleSwarm(now)); !s.ok()) return s;
    return store_->PutDroneStatus("drone-izar", SampleDroneStatus(now));
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  swarm = store_->GetSwarm();
  ASSERT_TRUE(swarm.ok());
  EXPECT_TRUE(swarm->has_value());
  EXPECT_TRUE(store_->GetDroneStatus("drone-izar").ok());
}

TEST_F(StoreTest, NestedTransactionIsRefused) {
  Status inner;
  Status outer = store_->Transaction([&]() -> Status {
    inner = store_->Transaction([] { return Status::Ok(); });
    return Status::Ok();
  });
  EXPECT_TRUE(outer.ok());
  EXPECT_EQ(inner.code(), StatusCode::kInternal);
  // The store is usable afterwards.
  EXPECT_TRUE(store_->PutDroneStatus("drone-izar", {}).ok());
}

TEST(StoreOpenTest, NonDatabaseFileIsRefused) {
  TempDir dir;
  std::string path = dir.Write("notes.txt", std::string(4096, 'x'));
  auto store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInternal);
  EXPECT_NE(store.status().message().find("not a build-swarm database"), std::string::npos)
      << store.status().ToString();
  EXPECT_EQ(swarm::testing::ReadFile(path), std::string(4096, 'x'));
}

TEST(StoreOpenTest, ForeignSqliteDatabaseIsRefused) {
  TempDir dir;
  std::string path = dir.File("other.db");
  RawExec(path, "CREATE TABLE recipes (name TEXT)");
  auto store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInternal);
  EXPECT_NE(store.status().message().find("not a build-swarm database"), std::string::npos)
      << store.status().ToString();
}

TEST(StoreOpenTest, NewerSchemaIsRefused) {
  TempDir dir;
  std::string path = dir.File("state.db");
  ASSERT_NE(MustOpenStore(path), nullptr);
  RawExec(path, "PRAGMA user_version = 99");
  auto store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInternal);
  EXPECT_NE(store.status().message().find("newer"), std::string::npos) << store.status().ToString();
}

TEST(StoreOpenTest, UnopenablePathIsUnavailable) {
  TempDir dir;
  auto store = Store::Open(dir.File("missing/dir/state.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable) << store.status().ToString();
}

TEST(StoreOpenTest, CommittedDataSurvivesKill9) {
  TempDir dir;
  std::string path = dir.File("state.db");
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = Store::Open(path);
    if (!store.ok()) _exit(1);
    api::DroneStatus status;
    status.health = "HEALTHY";
    if (!(*store)->PutDroneStatus("drone-izar", status).ok()) _exit(2);
    // No destructor, no checkpoint: the commit must already be durable.
    kill(getpid(), SIGKILL);
    _exit(3);
  }
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited with " << WEXITSTATUS(wstatus);
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));

  auto store = MustOpenStore(path);
  ASSERT_NE(store, nullptr);
  auto got = store->GetDroneStatus("drone-izar");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->health, "HEALTHY");
}

}  // namespace
}  // namespace swarm::controller

namespace swarm::controller {
namespace {

TEST(StorePackagesTest, ReplaceListAndUpdateKeepQueueOrder) {
  ::swarm::testing::TempDir dir;
  auto store = Store::Open(dir.File("state.db"));
  ASSERT_TRUE(store.ok());
  std::vector<api::Package> queue(3);
  queue[0].name = "sys-apps/systemd-utils-6.22.0";
  queue[1].name = "dev-libs/openssl-3.3.3";
  queue[1].dependencies = {"sys-apps/systemd-utils-6.22.0"};
  queue[2].name = "app-misc/a-1";
  for (auto& p : queue) p.tree_revision = "rev2";
  ASSERT_TRUE((*store)->ReplacePackages(queue).ok());

  api::Package done = queue[1];
  done.phase = api::kPhaseComplete;
  done.drone = "izar";
  done.last_failure = api::PackageFailure{"DroneResources", "Killed signal terminated program", "tarn"};
  ASSERT_TRUE((*store)->PutPackage(done).ok());
  api::Package ghost;
  ghost.name = "not/queued-1";
  EXPECT_EQ((*store)->PutPackage(ghost).code(), StatusCode::kNotFound);

  store->reset();
  auto reopened = Store::Open(dir.File("state.db"));
  ASSERT_TRUE(reopened.ok());
  auto listed = (*reopened)->ListPackages();
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].name, "sys-apps/systemd-utils-6.22.0");
  EXPECT_EQ((*listed)[1].phase, api::kPhaseComplete);
  EXPECT_EQ((*listed)[1].dependencies, queue[1].dependencies);
  ASSERT_TRUE((*listed)[1].last_failure.has_value());
  EXPECT_EQ((*listed)[1].last_failure->failure_class, "DroneResources");
  EXPECT_EQ((*listed)[2].tree_revision, "rev2");

  ASSERT_TRUE((*reopened)->ReplacePackages({}).ok());
  EXPECT_TRUE((*reopened)->ListPackages()->empty());
}

}  // namespace
}  // namespace swarm::controller

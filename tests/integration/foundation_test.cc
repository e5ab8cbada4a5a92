// The walking skeleton end to end: a real controller, real agents and
// swarmctl as processes on 127.0.0.1.

#include <signal.h>

#include <gtest/gtest.h>

#include "base/http_client.h"
#include "tests/integration/harness.h"

namespace swarm::testing {
namespace {

using nlohmann::json;

const std::vector<std::string> kDrones = {"drone-izar", "drone-meridian", "drone-tarn"};

class FoundationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& d : kDrones) h_.AddAgentToken(d);
    h_.AddAgentToken("ghost");
    ASSERT_TRUE(h_.StartController()) << h_.dir().File("controller.log");
  }

  void ApplyAndStartAgents() {
    auto applied = h_.Swarmctl({"apply", "-f", h_.WriteSwarm("swarm.yaml", kDrones)});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
    ASSERT_EQ(applied.out, "swarm/home created\n");
    for (const auto& d : kDrones) ASSERT_TRUE(h_.StartAgent(d, "rev-a", "2026.02.05"));
    for (const auto& d : kDrones) {
      ASSERT_TRUE(WaitFor([&] { return h_.ReadyStatus(d) == "True"; }))
          << d << " never became Ready; agent log:\n"
          << h_.agent(d)->Log();
    }
  }

  int Generation() { return h_.GetJson("/api/v1/swarm")["metadata"]["generation"].get<int>(); }

  SwarmHarness h_;
};

TEST_F(FoundationTest, ApplyThenAllThreeDronesReportAndAreReady) {
  ApplyAndStartAgents();
  auto got = h_.Swarmctl({"get", "drones", "-o", "json"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  json list = json::parse(got.out);
  EXPECT_EQ(list["kind"], "DroneList");
  ASSERT_EQ(list["items"].size(), 3u);
  for (const auto& item : list["items"]) {
    const json& st = item["status"];
    EXPECT_EQ(st["deployVersion"], "2026.02.05");
    EXPECT_EQ(st["treeRevision"], "rev-a");
    EXPECT_GT(st["resources"]["cores"].get<int>(), 0);
    EXPECT_GT(st["resources"]["memoryBytes"].get<int64_t>(), 0);
    EXPECT_TRUE(st["lastHeartbeatTime"].is_string());
    EXPECT_EQ(item["spec"]["labels"]["memory"], "8Gi");
  }

  auto table = h_.Swarmctl({"get", "drones"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("NAME", 0), 0u) << table.out;
  for (const char* col : {"READY", "HEALTH", "DEPLOYED", "TREE", "CORES", "MEMORY", "LAST SEEN"}) {
    EXPECT_NE(table.out.find(col), std::string::npos) << col;
  }
  EXPECT_NE(table.out.find("drone-meridian"), std::string::npos);
}

TEST_F(FoundationTest, ApplyAgainIsUnchangedAndAnEditBumpsTheGeneration) {
  ApplyAndStartAgents();
  EXPECT_EQ(Generation(), 1);
  auto again = h_.Swarmctl({"apply", "-f", h_.dir().File("swarm.yaml")});
  EXPECT_EQ(again.out, "swarm/home unchanged\n") << again.err;
  EXPECT_EQ(Generation(), 1);

  auto edited = h_.Swarmctl(
      {"apply", "-f", h_.WriteSwarm("swarm2.yaml", kDrones, "2026.02.06")});
  EXPECT_EQ(edited.out, "swarm/home configured\n") << edited.err;
  EXPECT_EQ(Generation(), 2);
  json swarm = h_.GetJson("/api/v1/swarm");
  EXPECT_EQ(swarm["spec"]["deploy"]["version"], "2026.02.06");
  EXPECT_TRUE(WaitFor([&] {
    return h_.GetJson("/api/v1/swarm")["status"]["observedGeneration"] == 2;
  }));
}

TEST_F(FoundationTest, InvalidApplyChangesNothing) {
  ApplyAndStartAgents();
  const std::string bad = h_.dir().Write("bad.yaml",
                                         "apiVersion: buildswarm.io/v1alpha1\n"
                                         "kind: Swarm\n"
                                         "metadata:\n"
                                         "  name: home\n"
                                         "spec:\n"
                                         "  portage: {treeRevision: rev-b}\n"
                                         "  deploy: {version: v9}\n"
                                         "  drones:\n"
                                         "    - name: drone-izar\n"
                                         "      labels: {cores: many}\n");
  auto r = h_.Swarmctl({"apply", "-f", bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.yaml:10:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cores"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  json swarm = h_.GetJson("/api/v1/swarm");
  EXPECT_EQ(swarm["metadata"]["generation"], 1);
  EXPECT_EQ(swarm["spec"]["portage"]["treeRevision"], "rev-a");

  // The server refuses the same mistake on its own, naming where it is.
  auto client = h_.Client(h_.admin_token());
  ASSERT_TRUE(client);
  auto put = client->Put("/api/v1/swarm", ReadFile(bad));
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(put->status, 400);
  EXPECT_NE(put->body.find("request body:10:"), std::string::npos) << put->body;
  EXPECT_EQ(h_.GetJson("/api/v1/swarm")["metadata"]["generation"], 1);
}

TEST_F(FoundationTest, KilledAgentTurnsUnknownAfterTheGrace) {
  ApplyAndStartAgents();
  h_.agent("drone-tarn")->Signal(SIGKILL);
  h_.agent("drone-tarn")->Wait();
  ASSERT_TRUE(WaitFor([&] { return h_.ReadyStatus("drone-tarn") == "Unknown"; }));
  json d = h_.GetJson("/api/v1/drones/drone-tarn");
  bool missed = false;
  for (const auto& c : d["status"]["conditions"]) {
    if (c["type"] == "Ready") missed = c["reason"] == "HeartbeatMissed";
  }
  EXPECT_TRUE(missed) << d.dump();
  EXPECT_EQ(h_.ReadyStatus("drone-izar"), "True");
  EXPECT_EQ(h_.ReadyStatus("drone-meridian"), "True");

  auto describe = h_.Swarmctl({"describe", "drone", "drone-tarn"});
  EXPECT_EQ(describe.exit_code, 0) << describe.err;
  EXPECT_NE(describe.out.find("DroneUnreachable"), std::string::npos) << describe.out;
}

TEST_F(FoundationTest, ControllerKilledAndRestartedKeepsSwarmAndDrones) {
  ApplyAndStartAgents();
  const int port = h_.port();
  json before = h_.GetJson("/api/v1/drones/drone-izar");
  h_.KillController(SIGKILL);
  ASSERT_TRUE(h_.StartController(port));
  json swarm = h_.GetJson("/api/v1/swarm");
  ASSERT_TRUE(swarm.is_object());
  EXPECT_EQ(swarm["metadata"]["name"], "home");
  EXPECT_EQ(swarm["metadata"]["generation"], 1);
  json drones = h_.GetJson("/api/v1/drones");
  ASSERT_EQ(drones["items"].size(), 3u);
  for (const auto& item : drones["items"]) {
    EXPECT_EQ(item["status"]["deployVersion"], "2026.02.05") << item.dump();
  }
  // A fresh grace period: nobody turned Unknown for the controller's absence,
  // and the agents, which kept retrying, heartbeat to the new process.
  for (const auto& d : kDrones) EXPECT_EQ(h_.ReadyStatus(d), "True") << d;
  EXPECT_TRUE(WaitFor([&] {
    json now = h_.GetJson("/api/v1/drones/drone-izar");
    return now.is_object() &&
           now["status"]["lastHeartbeatTime"] != before["status"]["lastHeartbeatTime"];
  }));
}

TEST_F(FoundationTest, AnAgentTokenCannotHeartbeatAsAnotherDrone) {
  ApplyAndStartAgents();
  auto client = h_.Client(h_.AgentToken("drone-izar"), "drone-izar");
  ASSERT_TRUE(client);
  auto r = client->Post("/api/v1/drones/drone-tarn/heartbeat", R"({"deployVersion":"x"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(r->body.find("cannot act as drone \\\"drone-tarn\\\""), std::string::npos) << r->body;
  EXPECT_EQ(h_.GetJson("/api/v1/drones/drone-tarn")["status"]["deployVersion"], "2026.02.05");

  // An agent token cannot use admin calls either, and a bad token is 401.
  EXPECT_EQ(client->Get("/api/v1/drones")->status, 403);
  auto bad = h_.Client("not-a-token");
  EXPECT_EQ(bad->Get("/api/v1/drones")->status, 401);
  std::vector<std::string> argv = {BinPath("swarmctl"), "--server", h_.url(), "--token", "nope"};
  for (const auto& flag : h_.SwarmctlTlsFlags()) argv.push_back(flag);
  argv.insert(argv.end(), {"get", "drones"});
  auto ctl = RunCommand(argv);
  EXPECT_NE(ctl.exit_code, 0);
  EXPECT_NE(ctl.err.find("401"), std::string::npos) << ctl.err;
}

TEST_F(FoundationTest, ANameOutsideTheRosterIsRefused) {
  ApplyAndStartAgents();
  ASSERT_TRUE(h_.StartAgent("ghost", "rev-a", "2026.02.05"));
  ASSERT_TRUE(WaitFor([&] {
    json events = h_.GetJson("/api/v1/events?kind=Drone&name=ghost");
    return events.is_object() && !events["items"].empty() &&
           events["items"].back()["reason"] == "NotInRoster";
  }));
  EXPECT_EQ(h_.GetJson("/api/v1/drones")["items"].size(), 3u);
  auto client = h_.Client(h_.AgentToken("ghost"), "ghost");
  auto r = client->Post("/api/v1/drones/ghost/heartbeat", "{}");
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(r->body.find("not in the roster"), std::string::npos) << r->body;
  EXPECT_FALSE(h_.agent("ghost")->Exited()) << "a refused agent keeps retrying";
}

TEST_F(FoundationTest, SwarmctlReportsUnknownDroneAndServerDown) {
  ApplyAndStartAgents();
  auto unknown = h_.Swarmctl({"describe", "drone", "drone-nope"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("drone-nope"), std::string::npos) << unknown.err;
  EXPECT_EQ(std::count(unknown.err.begin(), unknown.err.end(), '\n'), 1) << unknown.err;

  h_.KillController(SIGTERM);
  auto down = h_.Swarmctl({"get", "drones"});
  EXPECT_NE(down.exit_code, 0);
  EXPECT_NE(down.err.find("cannot reach"), std::string::npos) << down.err;
  EXPECT_EQ(std::count(down.err.begin(), down.err.end(), '\n'), 1) << down.err;
}

}  // namespace
}  // namespace swarm::testing

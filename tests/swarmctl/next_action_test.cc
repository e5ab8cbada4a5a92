#include "swarmctl/next_action.h"

#include <gtest/gtest.h>

#include "tests/swarmctl/canned.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;

Json Cond(const std::string& type, const std::string& status, const std::string& reason,
          const std::string& message = "", const std::string& since = "") {
  Json c = {{"type", type}, {"status", status}, {"reason", reason}, {"message", message}};
  if (!since.empty()) c["lastTransitionTime"] = since;
  return c;
}

Json Swarm(std::vector<Json> conditions) {
  Json s = {{"metadata", {{"name", "home"}}}, {"spec", {{"queue", {{"discoverOn", "desktop"}}}}}};
  s["status"]["conditions"] = std::move(conditions);
  return s;
}

Json Drone(const std::string& name, std::vector<Json> conditions) {
  Json d = {{"metadata", {{"name", name}}}};
  d["status"]["conditions"] = std::move(conditions);
  d["status"]["lastHeartbeatTime"] = "2026-02-05T10:27:00Z";
  return d;
}

Json Package(const std::string& name, const std::string& phase, const std::string& reason) {
  Json p = {{"metadata", {{"name", name}}}};
  p["status"] = {{"phase", phase}, {"reason", reason}, {"lastFailure", nullptr}};
  return p;
}

std::vector<const Json*> Pointers(const std::vector<Json>& v) {
  std::vector<const Json*> out;
  for (const auto& j : v) out.push_back(&j);
  return out;
}

const Json kReady = Cond("Ready", "True", "HeartbeatReceived");

struct Case {
  std::string name;
  Json swarm;
  std::vector<Json> drones;
  std::optional<std::vector<Json>> packages;
  std::vector<std::string> want;
};

TEST(NextActionTest, Rules) {
  const std::vector<Case> cases = {
      {"healthy swarm needs nobody",
       Swarm({Cond("Converged", "True", "Converged"), Cond("SystemicFault", "False", "NoFault")}),
       {Drone("drone-izar", {kReady, Cond("Deployed", "True", "Deployed"),
                             Cond("TreeSynced", "True", "Synced")})},
       std::vector<Json>{Package("a/b-1", "Complete", "")},
       {}},
      {"work in progress needs nobody",
       Swarm({Cond("QueueCurrent", "False", "Discovering")}),
       {Drone("drone-izar", {kReady, Cond("Deployed", "False", "Deploying"),
                             Cond("TreeSynced", "False", "RevisionMismatch")})},
       std::nullopt,
       {}},
      {"deploy hook failing",
       Swarm({}),
       {Drone("drone-izar",
              {kReady, Cond("Deployed", "False", "DeployFailed", "hooks.deploy exited 2")})},
       std::nullopt,
       {"drone-izar: deploy hook keeps failing (hooks.deploy exited 2); fix hooks.deploy on "
        "drone-izar — it is retried automatically"}},
      {"sync hook failing, output tail on one line",
       Swarm({}),
       {Drone("drone-izar", {kReady, Cond("TreeSynced", "False", "SyncFailed",
                                          "hooks.sync exited 128\nfatal: bad\n  object")})},
       std::nullopt,
       {"drone-izar: tree sync hook keeps failing (hooks.sync exited 128 fatal: bad object); fix "
        "hooks.sync on drone-izar — it is retried automatically"}},
      {"hook failing without a message",
       Swarm({}),
       {Drone("drone-izar", {kReady, Cond("Deployed", "False", "DeployFailed")})},
       std::nullopt,
       {"drone-izar: deploy hook keeps failing; fix hooks.deploy on drone-izar — it is retried "
        "automatically"}},
      {"never joined",
       Swarm({}),
       {Drone("desktop", {Cond("Ready", "Unknown", "NeverJoined")})},
       std::nullopt,
       {"desktop never joined: start swarm-agent on it (token name must be desktop)"}},
      {"unreachable since the Ready transition",
       Swarm({}),
       {Drone("drone-meridian",
              {Cond("Ready", "Unknown", "HeartbeatMissed", "", "2026-02-05T10:27:20Z")})},
       std::nullopt,
       {"drone-meridian is unreachable since 2026-02-05T10:27:20Z (2m ago): check the host and "
        "its network (its work is reclaimed automatically)"}},
      {"unreachable without a transition time uses the last heartbeat",
       Swarm({}),
       {Drone("drone-meridian", {Cond("Ready", "Unknown", "HeartbeatMissed")})},
       std::nullopt,
       {"drone-meridian is unreachable since 2026-02-05T10:27:00Z (3m ago): check the host and "
        "its network (its work is reclaimed automatically)"}},
      {"discovery failing",
       Swarm({Cond("QueueCurrent", "False", "DiscoveryFailed", "emerge exited 1: slot conflict")}),
       {},
       std::nullopt,
       {"queue discovery on desktop fails: emerge exited 1: slot conflict; fix it or run "
        "`swarmctl fresh`"}},
      {"systemic fault",
       Swarm({Cond("SystemicFault", "True", "ManyDronesFailingAlike",
                   "3 of 4 drones fail with \"no ebuilds to satisfy\"")}),
       {},
       std::nullopt,
       {"systemic fault: 3 of 4 drones fail with \"no ebuilds to satisfy\""}},
      {"a reason alone does not match: the status must too",
       Swarm({Cond("SystemicFault", "False", "NoFault", "all clear"),
              Cond("QueueCurrent", "True", "DiscoveryFailed")}),
       {Drone("drone-izar",
              {Cond("Ready", "True", "NeverJoined"), Cond("Deployed", "True", "DeployFailed")})},
       std::nullopt,
       {}},
      {"blocked packages named with their reason, else the last failure",
       Swarm({}),
       {},
       std::vector<Json>{
           Package("a/one-1", "Blocked", "fails alike on two drones"),
           Package("a/two-1", "Needed", ""),
           [] {
             Json p = Package("a/three-1", "Blocked", "");
             p["status"]["lastFailure"] = {{"class", "Package"}, {"message", "compile error"}};
             return p;
           }(),
           Package("a/four-1", "Blocked", "")},
       {"a/one-1 is blocked: fails alike on two drones",
        "a/three-1 is blocked: Package: compile error", "a/four-1 is blocked: no reason recorded"}},
      {"blocked packages unknown: the queue's count",
       [] {
         Json s = Swarm({});
         s["status"]["queue"] = {{"total", 9}, {"blocked", 2}};
         return s;
       }(),
       {},
       std::nullopt,
       {"2 packages blocked: see `swarmctl get packages -o wide`"}},
      {"central faults first, then drones in order, then packages",
       Swarm({Cond("QueueCurrent", "False", "DiscoveryFailed", "boom"),
              Cond("SystemicFault", "True", "Fault", "slot conflict")}),
       {Drone("desktop", {Cond("Ready", "Unknown", "NeverJoined")}),
        Drone("drone-izar",
              {Cond("Ready", "Unknown", "HeartbeatMissed", "", "2026-02-05T10:29:05Z"),
               Cond("Deployed", "False", "DeployFailed", "exit 1"),
               Cond("TreeSynced", "False", "SyncFailed", "exit 2")})},
       std::vector<Json>{Package("a/b-1", "Blocked", "why")},
       {"systemic fault: slot conflict",
        "queue discovery on desktop fails: boom; fix it or run `swarmctl fresh`",
        "desktop never joined: start swarm-agent on it (token name must be desktop)",
        "drone-izar is unreachable since 2026-02-05T10:29:05Z (1m ago): check the host and its "
        "network (its work is reclaimed automatically)",
        "drone-izar: deploy hook keeps failing (exit 1); fix hooks.deploy on drone-izar — it is "
        "retried automatically",
        "drone-izar: tree sync hook keeps failing (exit 2); fix hooks.sync on drone-izar — it is "
        "retried automatically",
        "a/b-1 is blocked: why"}},
  };
  for (const auto& c : cases) {
    std::optional<std::vector<const Json*>> packages;
    if (c.packages) packages = Pointers(*c.packages);
    EXPECT_EQ(NextActions(c.swarm, Pointers(c.drones), packages, CannedNow()), c.want) << c.name;
  }
}

TEST(NextActionTest, NamesTenBlockedPackagesAndCountsTheRest) {
  std::vector<Json> packages;
  for (int i = 0; i < 12; ++i) {
    packages.push_back(Package("cat/pkg" + std::to_string(i) + "-1", "Blocked", "r"));
  }
  auto actions = NextActions(Swarm({}), {}, Pointers(packages), CannedNow());
  ASSERT_EQ(actions.size(), 11u);
  EXPECT_EQ(actions[9], "cat/pkg9-1 is blocked: r");
  EXPECT_EQ(actions[10], "and 2 more blocked packages: see `swarmctl get packages -o wide`");

  packages.pop_back();
  actions = NextActions(Swarm({}), {}, Pointers(packages), CannedNow());
  EXPECT_EQ(actions.back(), "and 1 more blocked package: see `swarmctl get packages -o wide`");
}

TEST(NextActionTest, LongMessagesAreCut) {
  Json drone =
      Drone("drone-izar", {Cond("Deployed", "False", "DeployFailed", std::string(500, 'x'))});
  auto actions = NextActions(Swarm({}), {&drone}, std::nullopt, CannedNow());
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_NE(actions[0].find("(" + std::string(kMaxQuotedMessage - 3, 'x') + "...);"),
            std::string::npos)
      << actions[0];
}

TEST(NextActionTest, NothingToDoSaysConvergedOrConverging) {
  EXPECT_EQ(NothingToDo(Swarm({Cond("Converged", "True", "Converged")})),
            "NEXT ACTION: none — the swarm is converged");
  EXPECT_EQ(NothingToDo(Swarm({Cond("Converged", "False", "NotConverged")})),
            "NEXT ACTION: none — the swarm is converging on its own");
  EXPECT_EQ(NothingToDo(Json::object()), "NEXT ACTION: none — the swarm is converging on its own");
}

TEST(NextActionTest, OddRepliesDoNotCrash) {
  Json odd = {{"status", {{"conditions", {1, "x", nullptr}}}}};
  Json drone = {{"status", 3}};
  EXPECT_TRUE(NextActions(odd, {&drone}, std::vector<const Json*>{&odd}, CannedNow()).empty());
  EXPECT_TRUE(NextActions(Json::array(), {}, std::nullopt, CannedNow()).empty());
}

}  // namespace
}  // namespace swarm::ctl

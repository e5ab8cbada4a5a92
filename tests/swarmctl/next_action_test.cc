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
      {"systemic fault: what the controller does about it",
       Swarm({Cond("SystemicFault", "True", "FailingAlike",
                   "3 of 4 drones fail with \"no ebuilds to satisfy\"")}),
       {},
       std::nullopt,
       {"systemic fault: 3 of 4 drones fail with \"no ebuilds to satisfy\"; nothing is "
        "dispatched while the controller re-syncs every member and rediscovers the queue — "
        "dispatch resumes on its own once the new queue is in"}},
      {"systemic fault: the controller's own remedy is not quoted twice",
       Swarm({Cond("SystemicFault", "True", "SystemicFailure",
                   "dev-libs/openssl-3.3.3 failed on drone-izar with Systemic: emerge: there are "
                   "no ebuilds to satisfy \"dev-libs/libfoo\"; nothing is dispatched: every "
                   "member re-syncs and the queue is discovered again")}),
       {},
       std::nullopt,
       {"systemic fault: dev-libs/openssl-3.3.3 failed on drone-izar with Systemic: emerge: there "
        "are no ebuilds to satisfy \"dev-libs/libfoo\"; nothing is dispatched while the "
        "controller re-syncs every member and rediscovers the queue — dispatch resumes on its "
        "own once the new queue is in"}},
      {"systemic fault that persists needs a person and swarmctl fresh",
       Swarm({Cond("SystemicFault", "True", "SystemicFailure",
                   "dev-libs/openssl-3.3.3 failed on drone-izar with Systemic: no ebuilds to "
                   "satisfy; persists after re-sync and rediscovery")}),
       {},
       std::nullopt,
       {"systemic fault persists after re-sync and rediscovery: dev-libs/openssl-3.3.3 failed on "
        "drone-izar with Systemic: no ebuilds to satisfy; persists after re-sync and "
        "rediscovery; nothing is dispatched until you fix the portage tree or profile and run "
        "`swarmctl fresh`"}},
      {"systemic fault that persists, as the controller words it",
       Swarm({Cond("SystemicFault", "True", "Persistent",
                   "2 of 3 Ready drones failed alike with DroneResources: No space left on "
                   "device; it persists after the re-sync and rediscovery of "
                   "2026-02-05T10:00:00Z: nothing is dispatched until the tree or profile is "
                   "fixed and swarmctl fresh runs (or the spec changes)")}),
       {},
       std::nullopt,
       {"systemic fault persists after re-sync and rediscovery: 2 of 3 Ready drones failed alike "
        "with DroneResources: No space left on device; nothing is dispatched until you fix the "
        "portage tree or profile and run `swarmctl fresh`"}},
      {"systemic fault without a message",
       Swarm({Cond("SystemicFault", "True", "SystemicFailure")}),
       {},
       std::nullopt,
       {"systemic fault: see `swarmctl describe swarm`; nothing is dispatched while the "
        "controller re-syncs every member and rediscovers the queue — dispatch resumes on its "
        "own once the new queue is in"}},
      {"grounded drone: why, and how to unground it",
       [] {
         Json s = Swarm({});
         s["spec"]["policy"]["groundingCooldown"] = "5m";
         return s;
       }(),
       {Drone("drone-tarn",
              {kReady, Cond("Grounded", "True", "RepeatedFailures",
                            "5 drone failures in a row (groundAfterFailures 5); last: "
                            "dev-qt/qtwebengine-6.8.1: Killed signal terminated program cc1plus; "
                            "no work until the cause is gone, the cooldown ends and a probation "
                            "build succeeds, or swarmctl unground")})},
       std::nullopt,
       {"drone-tarn is grounded: 5 drone failures in a row (groundAfterFailures 5); last: "
        "dev-qt/qtwebengine-6.8.1: Killed signal terminated program cc1plus; find what fails on "
        "it (`swarmctl describe drone drone-tarn`), fix it and run `swarmctl unground "
        "drone-tarn` — else it gets one probation build after groundingCooldown (5m)"}},
      {"a drone without the labels the policy requires",
       Swarm({}),
       {Drone("drone-izar",
              {kReady, Cond("CapacityWithinLabels", "False", "LabelsMissing",
                            "no memory label, and spec.policy.requireCapacityLabels is set: it "
                            "gets no work until its roster entry has both")})},
       std::nullopt,
       {"drone-izar gets no build work: no memory label, and spec.policy.requireCapacityLabels "
        "is set; add cores and memory labels to its entry in spec.drones"}},
      {"a drone reporting more than its labels",
       Swarm({}),
       {Drone("drone-izar",
              {kReady, Cond("CapacityWithinLabels", "False", "ReportOverLabels",
                            "reports more cores than its labels (cores 4, memory 8Gi): counted "
                            "as labelled; its agent is wrong or lying, or its labels are")}),
        Drone("drone-tarn", {kReady, Cond("CapacityWithinLabels", "True", "WithinLabels", "")}),
        Drone("drone-vega", {kReady, Cond("CapacityWithinLabels", "Unknown", "Unlabeled", "")})},
       std::nullopt,
       {"drone-izar reports more cores than its labels (cores 4, memory 8Gi): it is counted as "
        "labelled; check its agent and who holds its token, or correct its labels in "
        "spec.drones"}},
      {"on probation or ungrounded needs nobody",
       Swarm({}),
       {Drone("drone-tarn", {kReady, Cond("Grounded", "False", "Probation", "one build decides")}),
        Drone("drone-vega", {kReady, Cond("Grounded", "False", "UngroundedByHand")})},
       std::nullopt,
       {}},
      {"cordoned drone",
       Swarm({}),
       {[] {
         Json d = Drone("drone-izar", {kReady});
         d["status"]["cordoned"] = true;
         return d;
       }()},
       std::nullopt,
       {"drone-izar is cordoned: it takes no new work; run `swarmctl uncordon drone-izar` to give "
        "it work again"}},
      {"degraded and critical drones with their reason; healthy or unreachable ones not",
       Swarm({}),
       {[] {
          Json d = Drone("drone-izar", {kReady});
          d["status"]["health"] = "DEGRADED";
          d["status"]["healthReason"] = "memory 91% >= 85%";
          return d;
        }(),
        [] {
          Json d = Drone("drone-vega", {kReady});
          d["status"]["health"] = "CRITICAL";
          d["status"]["healthReason"] = "";
          return d;
        }(),
        [] {
          Json d = Drone("drone-meridian",
                         {Cond("Ready", "Unknown", "HeartbeatMissed", "", "2026-02-05T10:27:20Z")});
          d["status"]["health"] = "CRITICAL";
          return d;
        }(),
        [] {
          Json d = Drone("drone-tarn", {kReady});
          d["status"]["health"] = "HEALTHY";
          return d;
        }()},
       std::nullopt,
       {"drone-izar is DEGRADED (memory 91% >= 85%): it gets no new builds until it is HEALTHY "
        "again",
        "drone-vega is CRITICAL: it gets no new builds until it is HEALTHY again",
        "drone-meridian is unreachable since 2026-02-05T10:27:20Z (2m ago): check the host and "
        "its network (its work is reclaimed automatically)"}},
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
       {"a/one-1 is blocked: fails alike on two drones; fix the cause, then run `swarmctl "
        "fresh` to rediscover the queue",
        "a/three-1 is blocked: Package: compile error; fix the cause, then run `swarmctl fresh` "
        "to rediscover the queue",
        "a/four-1 is blocked: no reason recorded; fix the cause, then run `swarmctl fresh` to "
        "rediscover the queue"}},
      {"blocked after failing on two drones, as the controller words it",
       Swarm({}),
       {},
       std::vector<Json>{Package(
           "media-libs/mesa-24.3.3", "Blocked",
           "failed to build on drone-izar and drone-meridian (last: compile error in "
           "src/gallium/drivers/radeonsi); fix the package or its USE flags, then swarmctl fresh")},
       {"media-libs/mesa-24.3.3 is blocked: failed to build on drone-izar and drone-meridian "
        "(last: compile error in src/gallium/drivers/radeonsi); fix the cause, then run "
        "`swarmctl fresh` to rediscover the queue"}},
      {"blocked for capacity after an OOM: the memory that would take it",
       Swarm({}),
       {},
       std::vector<Json>{[] {
         Json p = Package("dev-qt/qtwebengine-6.8.1", "Blocked",
                          "no drone can take it: needs memory > 32Gi (OOM on drone-izar (32Gi)); "
                          "none of 2 drones fits (drone-izar: memory 32Gi, returned or failed "
                          "it; drone-tarn: memory 16Gi (grounded))");
         p["status"]["needsMemoryOver"] = 34359738368;
         p["status"]["needsMemoryCause"] = "OOM on drone-izar (32Gi)";
         return p;
       }()},
       {"dev-qt/qtwebengine-6.8.1 is blocked: no drone can take it: needs memory > 32Gi (OOM on "
        "drone-izar (32Gi)); none of 2 drones fits (drone-izar: memory 32Gi, returned or failed "
        "it; drone-tarn: memory 16Gi (grounded)); a build drone with more than 32Gi of memory "
        "would take it: add one to spec.drones — it is dispatched once one fits"}},
      {"blocked for capacity by a requirement",
       Swarm({}),
       {},
       std::vector<Json>{Package("dev-qt/qtwebengine-6.8.1", "Blocked",
                                 "no drone can take it: needs memory >= 64Gi (requirement "
                                 "dev-qt/qtwebengine); the roster has no build drones")},
       {"dev-qt/qtwebengine-6.8.1 is blocked: no drone can take it: needs memory >= 64Gi "
        "(requirement dev-qt/qtwebengine); the roster has no build drones; a build drone with "
        "what it needs would take it: add one to spec.drones or relax spec.queue.requirements — "
        "it is dispatched once one fits"}},
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
       {"systemic fault: slot conflict; nothing is dispatched while the controller re-syncs "
        "every member and rediscovers the queue — dispatch resumes on its own once the new "
        "queue is in",
        "queue discovery on desktop fails: boom; fix it or run `swarmctl fresh`",
        "desktop never joined: start swarm-agent on it (token name must be desktop)",
        "drone-izar is unreachable since 2026-02-05T10:29:05Z (1m ago): check the host and its "
        "network (its work is reclaimed automatically)",
        "drone-izar: deploy hook keeps failing (exit 1); fix hooks.deploy on drone-izar — it is "
        "retried automatically",
        "drone-izar: tree sync hook keeps failing (exit 2); fix hooks.sync on drone-izar — it is "
        "retried automatically",
        "a/b-1 is blocked: why; fix the cause, then run `swarmctl fresh` to rediscover the "
        "queue"}},
      {"per drone: grounded, then health, then hooks, then cordoned",
       Swarm({}),
       {[] {
         Json d = Drone("drone-tarn", {kReady, Cond("Grounded", "True", "RepeatedFailures", "x"),
                                       Cond("Deployed", "False", "DeployFailed", "exit 1")});
         d["status"]["cordoned"] = true;
         d["status"]["health"] = "DEGRADED";
         return d;
       }()},
       std::nullopt,
       {"drone-tarn is grounded: x; find what fails on it (`swarmctl describe drone drone-tarn`), "
        "fix it and run `swarmctl unground drone-tarn` — else it gets one probation build after "
        "groundingCooldown",
        "drone-tarn is DEGRADED: it gets no new builds until it is HEALTHY again",
        "drone-tarn: deploy hook keeps failing (exit 1); fix hooks.deploy on drone-tarn — it is "
        "retried automatically",
        "drone-tarn is cordoned: it takes no new work; run `swarmctl uncordon drone-tarn` to give "
        "it work again"}},
      {"a release held back for promotion by hand, after blocked packages",
       [] {
         Json s = Swarm({Cond("Released", "False", "AwaitingPromotion", "cut; promotion Manual")});
         s["status"]["release"] = {{"promoted", "2026-02-04T0300Z-9fc7a49a"},
                                   {"latest", "2026-02-05T0400Z-b001a823"}};
         return s;
       }(),
       {},
       std::vector<Json>{Package("a/b-1", "Blocked", "why")},
       {"a/b-1 is blocked: why; fix the cause, then run `swarmctl fresh` to rediscover the "
        "queue",
        "release 2026-02-05T0400Z-b001a823 awaits promotion (spec.binhost.promotion is Manual): "
        "check it (`swarmctl describe release 2026-02-05T0400Z-b001a823`) and run `swarmctl "
        "promote 2026-02-05T0400Z-b001a823`"}},
      {"a release awaiting promotion that the status does not name",
       Swarm({Cond("Released", "False", "AwaitingPromotion")}),
       {},
       std::nullopt,
       {"the latest release awaits promotion (spec.binhost.promotion is Manual): see `swarmctl "
        "get releases` and run `swarmctl promote <release>`"}},
      {"a rollback was someone's choice", Swarm({Cond("Released", "False", "OlderPromoted")}),
       {}, std::nullopt, {}},
      {"a failed verification requeues on its own",
       Swarm({Cond("Released", "False", "VerificationFailed")}), {}, std::nullopt, {}},
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
  EXPECT_EQ(actions[9],
            "cat/pkg9-1 is blocked: r; fix the cause, then run `swarmctl fresh` to rediscover the "
            "queue");
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

  // Fields of the wrong type read as absent: no cordon, no health, no memory.
  Json typed = Drone("drone-izar", {kReady});
  typed["status"]["cordoned"] = "true";
  typed["status"]["health"] = 3;
  Json blocked = Package("a/b-1", "Blocked", "no drone can take it: needs cores >= 64");
  blocked["status"]["needsMemoryOver"] = "lots";
  const auto actions =
      NextActions(Swarm({}), {&typed}, std::vector<const Json*>{&blocked}, CannedNow());
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_NE(actions[0].find("relax spec.queue.requirements"), std::string::npos) << actions[0];
}

TEST(NextActionTest, EvidenceDropsTheControllersRemedy) {
  EXPECT_EQ(Evidence("boom; nothing is dispatched: every member re-syncs"), "boom");
  EXPECT_EQ(Evidence("5 failures; last: a: b; no work until the cause is gone"),
            "5 failures; last: a: b");
  EXPECT_EQ(Evidence("failed to build on a and b (last: x); fix the package or its USE flags"),
            "failed to build on a and b (last: x)");
  EXPECT_EQ(Evidence("no remedy; here"), "no remedy; here");
  EXPECT_EQ(Evidence(""), "");
}

}  // namespace
}  // namespace swarm::ctl

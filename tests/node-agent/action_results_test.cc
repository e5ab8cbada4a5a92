#include "node-agent/action_results.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/node-agent/fake_transport.h"

namespace swarm::agent {
namespace {

using ::testing::ElementsAre;
using testing::FakeTransport;
using testing::Reply;

api::ActionResult SyncResult(const std::string& id) {
  api::ActionResult r;
  r.id = id;
  r.type = api::kActionSync;
  r.exit_code = 128;
  r.message = "hooks.sync exited 128";
  r.output_tail = "fatal: \xff not utf-8\n";
  r.tree_revision = "092a79";
  return r;
}

std::vector<std::string> PendingIds(const ResultOutbox& o) {
  std::vector<std::string> out;
  for (const auto& r : o.pending()) out.push_back(r.id);
  return out;
}

TEST(ActionResultsTest, Path) {
  EXPECT_EQ(ActionResultPath("drone-izar", "9a1b"), "/api/v1/drones/drone-izar/actions/9a1b");
}

TEST(ActionResultsTest, DeliveredResultIsGone) {
  FakeTransport transport;
  transport.Push(Reply(200, R"({"accepted": true})"));
  ResultOutbox outbox;
  outbox.Add(SyncResult("a1"));
  EXPECT_EQ(outbox.Deliver(transport, "drone-izar"), 0u);
  ASSERT_EQ(transport.paths.size(), 1u);
  EXPECT_EQ(transport.paths[0], "/api/v1/drones/drone-izar/actions/a1");
  const auto& body = transport.bodies[0];
  EXPECT_EQ(body["id"], "a1");
  EXPECT_EQ(body["type"], "sync");
  EXPECT_EQ(body["succeeded"], false);
  EXPECT_EQ(body["exitCode"], 128);
  EXPECT_EQ(body["treeRevision"], "092a79");
  EXPECT_EQ(body["outputTail"], "fatal: \xef\xbf\xbd not utf-8\n");  // replaced, not thrown
}

TEST(ActionResultsTest, TransportErrorKeepsEveryResultForTheNextTick) {
  FakeTransport transport;
  transport.PushDown();
  ResultOutbox outbox;
  outbox.Add(SyncResult("a1"));
  outbox.Add(SyncResult("a2"));
  EXPECT_EQ(outbox.Deliver(transport, "drone-izar"), 2u);
  EXPECT_EQ(transport.paths.size(), 1u);  // a2 not tried against a controller that is away
  EXPECT_THAT(PendingIds(outbox), ElementsAre("a1", "a2"));

  transport.PushOk();
  transport.PushOk();
  EXPECT_EQ(outbox.Deliver(transport, "drone-izar"), 0u);
  EXPECT_EQ(transport.paths.size(), 3u);
  EXPECT_EQ(transport.paths[2], "/api/v1/drones/drone-izar/actions/a2");
}

TEST(ActionResultsTest, ServerErrorsAreRetriedRefusalsDropped) {
  FakeTransport transport;
  transport.Push(Reply(503, "overloaded"));
  transport.Push(Reply(409, R"({"kind": "Status", "code": 409, "message": "already reported"})"));
  transport.Push(Reply(404, "{}"));
  transport.Push(Reply(500, "{}"));
  ResultOutbox outbox;
  for (const char* id : {"a1", "a2", "a3", "a4"}) outbox.Add(SyncResult(id));
  EXPECT_EQ(outbox.Deliver(transport, "drone-izar"), 2u);
  EXPECT_THAT(PendingIds(outbox), ElementsAre("a1", "a4"));

  transport.Push(Reply(403, "{}"));
  transport.Push(Reply(400, "{}"));
  EXPECT_EQ(outbox.Deliver(transport, "drone-izar"), 0u);
}

}  // namespace
}  // namespace swarm::agent

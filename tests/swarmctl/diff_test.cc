#include "swarmctl/diff.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::FakeApi;

const char kSwarmYaml[] = R"(apiVersion: buildswarm.io/v1alpha1
kind: Swarm
metadata:
  name: home
spec:
  portage:
    treeRevision: 9fc7a49ad6496faebea1c1d1848199fb6278bcec
  deploy:
    version: "2026.02.06"
  drones:
    - name: drone-izar
)";

std::string Stored(const std::string& version, int generation) {
  return R"({"apiVersion":"buildswarm.io/v1alpha1","kind":"Swarm","metadata":{"name":"home",)"
         R"("generation":)" +
         std::to_string(generation) + R"(,"resourceVersion":9},"spec":{"deploy":{"version":")" +
         version + R"("}},"status":{"observedGeneration":1}})";
}

class DiffTest : public ::testing::Test {
 protected:
  int Run() {
    std::istringstream in(kSwarmYaml);
    return RunDiff({{"-"}}, api_, in, out_, err_);
  }
  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(DiffTest, ChangesAreAUnifiedDiffAndExitOne) {
  api_.Reply("GET", "/api/v1/swarm", 200, Stored("2026.02.05", 1));
  api_.Reply("PUT", "/api/v1/swarm?dryRun=All", 200,
             R"({"result":"configured","swarm":)" + Stored("2026.02.06", 2) + "}");
  EXPECT_EQ(Run(), 1) << err_.str();
  EXPECT_EQ(out_.str(),
            "--- live/swarm/home\n+++ merged/swarm/home\n"
            "@@ -2,7 +2,7 @@\n"
            " kind: Swarm\n metadata:\n   name: home\n-  generation: 1\n+  generation: 2\n"
            " spec:\n   deploy:\n-    version: \"2026.02.05\"\n+    version: \"2026.02.06\"\n");
  // The status and the resource version are the server's: never a change.
  EXPECT_EQ(out_.str().find("observedGeneration"), std::string::npos);
  ASSERT_EQ(api_.requests().size(), 2u);
  EXPECT_EQ(Json::parse(api_.requests()[1].body)["spec"]["deploy"]["version"], "2026.02.06");
}

TEST_F(DiffTest, NothingToChangeIsSilentAndExitZero) {
  api_.Reply("GET", "/api/v1/swarm", 200, Stored("2026.02.06", 2));
  api_.Reply("PUT", "/api/v1/swarm?dryRun=All", 200,
             R"({"result":"unchanged","swarm":)" + Stored("2026.02.06", 2) + "}");
  EXPECT_EQ(Run(), 0) << err_.str();
  EXPECT_EQ(out_.str(), "");
}

TEST_F(DiffTest, BeforeTheFirstApplyEverythingIsNew) {
  api_.Reply("GET", "/api/v1/swarm", 404,
             R"({"kind":"Status","code":404,"reason":"NotFound","message":"no Swarm yet"})");
  api_.Reply("PUT", "/api/v1/swarm?dryRun=All", 200,
             R"({"result":"created","swarm":)" + Stored("2026.02.06", 1) + "}");
  EXPECT_EQ(Run(), 1) << err_.str();
  EXPECT_EQ(out_.str().rfind("--- live/swarm/home\n+++ merged/swarm/home\n@@ -0,0 +1,", 0), 0u)
      << out_.str();
}

TEST_F(DiffTest, ErrorsExitTwo) {
  api_.Reply("GET", "/api/v1/swarm", 200, Stored("2026.02.05", 1));
  api_.Reply("PUT", "/api/v1/swarm?dryRun=All", 409,
             R"({"kind":"Status","code":409,"reason":"Conflict","message":"manages swarm/work"})");
  EXPECT_EQ(Run(), 2);
  EXPECT_NE(err_.str().find("manages swarm/work"), std::string::npos) << err_.str();
  std::istringstream bad("kind: Swarm\nspec: [\n");
  err_.str("");
  EXPECT_EQ(RunDiff({{"-"}}, api_, bad, out_, err_), 2);
  EXPECT_EQ(err_.str().rfind("error: <stdin>:", 0), 0u) << err_.str();
}

}  // namespace
}  // namespace swarm::ctl

#include "swarmctl/apply.h"

#include <gtest/gtest.h>

#include <iostream>

#include <sstream>

#include "tests/support/temp_dir.h"
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
    version: "2026.02.05"
  queue:
    discoverOn: desktop
  drones:
    - name: drone-izar
      labels: {cores: "16", memory: 32Gi}
    - name: desktop
      roles: [discover]
)";

// An unknown field on line 10, column 5.
const char kBadYaml[] = R"(apiVersion: buildswarm.io/v1alpha1
kind: Swarm
metadata:
  name: home
spec:
  portage:
    treeRevision: 9fc7a49ad6496faebea1c1d1848199fb6278bcec
  deploy:
    version: "2026.02.05"
    flavour: vanilla
  drones:
    - name: drone-izar
)";

class ApplyTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> files, const std::string& stdin_text = "") {
    std::istringstream in(stdin_text);
    return RunApply({std::move(files)}, api_, in, out_, err_);
  }

  swarm::testing::TempDir dir_;
  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ApplyTest, PutsTheSwarmAndPrintsTheResult) {
  api_.Reply("PUT", "/api/v1/swarm", 200, R"({"result": "created", "swarm": {}})");
  ASSERT_EQ(Run({dir_.Write("swarm.yaml", kSwarmYaml)}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "swarm/home created\n");
  ASSERT_EQ(api_.requests().size(), 1u);
  Json body = Json::parse(api_.requests()[0].body);
  EXPECT_EQ(body["kind"], "Swarm");
  EXPECT_EQ(body["metadata"]["name"], "home");
  EXPECT_EQ(body["spec"]["deploy"]["version"], "2026.02.05");
}

TEST_F(ApplyTest, ReadsStdinAndEveryDocumentInOrder) {
  api_.Reply("PUT", "/api/v1/swarm", 200, R"({"result": "unchanged"})");
  std::string two = std::string(kSwarmYaml) + "---\n" + kSwarmYaml;
  ASSERT_EQ(Run({"-"}, two), 0) << err_.str();
  EXPECT_EQ(out_.str(), "swarm/home unchanged\nswarm/home unchanged\n");
  EXPECT_EQ(api_.requests().size(), 2u);
}

TEST_F(ApplyTest, InvalidYamlIsRefusedBeforeAnyRequest) {
  const std::string file = dir_.Write("bad.yaml", kBadYaml);
  EXPECT_EQ(Run({file}), 1);
  EXPECT_TRUE(api_.requests().empty());
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str().rfind("error: " + file + ":10:", 0), 0u) << err_.str();
  EXPECT_NE(err_.str().find("flavour"), std::string::npos) << err_.str();
}

TEST_F(ApplyTest, InvalidYamlNeverReachesTheNetwork) {
  // A real transport aimed where nothing listens: the decode error must come
  // first, not "cannot reach".
  auto api = HttpApiTransport::Create("http://127.0.0.1:1", "token", {}, std::cerr);
  ASSERT_TRUE(api.ok());
  std::istringstream in(kBadYaml);
  EXPECT_EQ(RunApply({{"-"}}, **api, in, out_, err_), 1);
  EXPECT_EQ(err_.str().rfind("error: <stdin>:10:", 0), 0u) << err_.str();
  EXPECT_EQ(err_.str().find("cannot reach"), std::string::npos) << err_.str();
}

TEST_F(ApplyTest, OneBadFileStopsAllOfThem) {
  const std::string good = dir_.Write("good.yaml", kSwarmYaml);
  const std::string bad = dir_.Write("bad.yaml", kBadYaml);
  EXPECT_EQ(Run({good, bad}), 1);
  EXPECT_TRUE(api_.requests().empty());
}

TEST_F(ApplyTest, UnreadableAndEmptyInput) {
  EXPECT_EQ(Run({dir_.File("missing.yaml")}), 1);
  EXPECT_EQ(err_.str(),
            "error: cannot read " + dir_.File("missing.yaml") + ": No such file or directory\n");
  err_.str("");
  EXPECT_EQ(Run({dir_.Write("empty.yaml", "# nothing here\n")}), 1);
  EXPECT_EQ(err_.str(), "error: no objects passed to apply\n");
  EXPECT_TRUE(api_.requests().empty());
}

TEST_F(ApplyTest, NoFileIsAUsageError) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_EQ(err_.str(), "error: apply needs -f FILE (\"-f -\" reads stdin)\n");
}

TEST_F(ApplyTest, ServerErrorsAreOneLine) {
  const std::string file = dir_.Write("swarm.yaml", kSwarmYaml);
  api_.Reply("PUT", "/api/v1/swarm", 409,
             R"({"kind":"Status","code":409,"reason":"Conflict",)"
             R"("message":"this controller manages swarm/work"})");
  EXPECT_EQ(Run({file}), 1);
  EXPECT_EQ(err_.str(), "error: 409 Conflict: this controller manages swarm/work\n");

  err_.str("");
  api_.Fail("PUT", "/api/v1/swarm", Unavailable("cannot reach http://127.0.0.1:7800: Connection"));
  EXPECT_EQ(Run({file}), 1);
  EXPECT_EQ(err_.str(), "error: cannot reach http://127.0.0.1:7800: Connection\n");

  err_.str("");
  api_.Reply("PUT", "/api/v1/swarm", 200, R"({"swarm": {}})");
  EXPECT_EQ(Run({file}), 1);
  EXPECT_EQ(err_.str(),
            "error: unexpected reply to PUT /api/v1/swarm: \"result\" is not created, configured "
            "or unchanged\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(ApplyTest, ServerDryRunAsksTheServerAndSaysSo) {
  api_.Reply("PUT", "/api/v1/swarm?dryRun=All", 200, R"({"result": "configured", "swarm": {}})");
  std::istringstream in(kSwarmYaml);
  ASSERT_EQ(RunApply({{"-"}, "server"}, api_, in, out_, err_), 0) << err_.str();
  EXPECT_EQ(out_.str(), "swarm/home configured (server dry run)\n");
  ASSERT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(api_.requests()[0].path, "/api/v1/swarm?dryRun=All");
}

TEST_F(ApplyTest, AnUnknownDryRunIsAUsageError) {
  std::istringstream in(kSwarmYaml);
  EXPECT_EQ(RunApply({{"-"}, "client"}, api_, in, out_, err_), 2);
  EXPECT_EQ(err_.str(), "error: --dry-run=client is not none or server\n");
  EXPECT_TRUE(api_.requests().empty());
}

}  // namespace
}  // namespace swarm::ctl

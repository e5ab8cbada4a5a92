// The strict reader on a document type of its own (an agent configuration),
// as other modules use it.

#include "api/yaml_fields.h"

#include <gtest/gtest.h>

namespace swarm::api {
namespace {

constexpr char kAgentYaml[] = R"(name: drone-izar
controller: http://10.0.0.1:8080
port: 8080
verbose: TRUE
interval: 1m30s
paths: [/var/db/repos/gentoo, /var/cache/binpkgs]
env: {MAKEOPTS: "-j16", EMPTY: }
load: 2.5e0
hooks:
  sync: git -C {repo} fetch
  deploy: ~
)";

YAML::Node Load(const std::string& text, const std::string& source = "agent.yaml") {
  Result<std::vector<YAML::Node>> docs = LoadYamlDocuments(text, source);
  EXPECT_TRUE(docs.ok()) << docs.status().ToString();
  return docs.ok() && !docs->empty() ? docs->front() : YAML::Node();
}

TEST(YamlMapTest, ReadsEveryFieldType) {
  YamlDiagnostics diag("agent.yaml");
  YamlMap root(
      diag, Load(kAgentYaml), "",
      {"name", "controller", "port", "verbose", "interval", "paths", "env", "load", "hooks"});
  std::string name, controller, sync, deploy = "unchanged";
  int port = 0;
  bool verbose = false;
  Duration interval{};
  std::vector<std::string> paths;
  std::map<std::string, std::string> env;
  double load = 0;
  EXPECT_TRUE(root.ReadString("name", name));
  EXPECT_TRUE(root.ReadString("controller", controller));
  EXPECT_TRUE(root.ReadInt("port", port));
  EXPECT_TRUE(root.ReadBool("verbose", verbose));
  EXPECT_TRUE(root.ReadDuration("interval", interval));
  EXPECT_TRUE(root.ReadStringList("paths", paths));
  EXPECT_TRUE(root.ReadStringMap("env", env));
  EXPECT_TRUE(root.ReadDouble("load", load));
  YamlMap hooks = root.ReadMap("hooks", {"sync", "deploy", "selfCheck"});
  EXPECT_TRUE(hooks.ReadString("sync", sync));
  EXPECT_FALSE(hooks.ReadString("deploy", deploy)) << "null leaves the value alone";
  EXPECT_FALSE(hooks.ReadString("selfCheck", deploy)) << "absent leaves the value alone";
  EXPECT_TRUE(diag.ok()) << diag.Message();

  EXPECT_EQ(name, "drone-izar");
  EXPECT_EQ(controller, "http://10.0.0.1:8080");
  EXPECT_EQ(port, 8080);
  EXPECT_TRUE(verbose);
  EXPECT_EQ(interval, std::chrono::seconds(90));
  EXPECT_EQ(paths, (std::vector<std::string>{"/var/db/repos/gentoo", "/var/cache/binpkgs"}));
  EXPECT_EQ(env, (std::map<std::string, std::string>{{"EMPTY", ""}, {"MAKEOPTS", "-j16"}}));
  EXPECT_EQ(load, 2.5);
  EXPECT_EQ(sync, "git -C {repo} fetch");
  EXPECT_EQ(deploy, "unchanged");
  EXPECT_TRUE(root.Has("hooks"));
  EXPECT_FALSE(hooks.Has("deploy"));
  EXPECT_TRUE(hooks.Get("deploy").IsNull());
  EXPECT_FALSE(hooks.Get("selfCheck").IsDefined());
}

TEST(YamlMapTest, ReportsEveryMistakeInDocumentOrderWithItsSourceName) {
  YamlDiagnostics diag("/etc/swarm/agent.yaml");
  YamlMap root(diag, Load(kAgentYaml), "", {"name", "port", "verbose", "hooks"});
  int port = 0;
  bool verbose = false;
  std::string name;
  YamlMap hooks = root.ReadMap("hooks", {"deploy"});
  root.ReadString("name", name);
  // Semantic checks come after reading, located through the recorded paths.
  diag.AddAt("hooks.selfCheck", "required: the command that checks the drone");
  diag.AddAt("name", "not the host name");
  YAML::Node bad = YAML::Load("port: eighty\nverbose: yes\n");
  YamlMap other(diag, bad, "other", {"port", "verbose"});
  EXPECT_FALSE(other.ReadInt("port", port));
  EXPECT_FALSE(other.ReadBool("verbose", verbose));

  EXPECT_FALSE(diag.ok());
  EXPECT_EQ(diag.error_count(), 10u);
  EXPECT_EQ(diag.Message(),
            "/etc/swarm/agent.yaml:1:1: name: not the host name\n"
            "/etc/swarm/agent.yaml:1:1: other.port: expected an integer, got \"eighty\"\n"
            "/etc/swarm/agent.yaml:2:1: controller: unknown field \"controller\"; allowed "
            "fields: name, port, verbose, hooks\n"
            "/etc/swarm/agent.yaml:2:1: other.verbose: expected true or false, got \"yes\"\n"
            "/etc/swarm/agent.yaml:5:1: interval: unknown field \"interval\"; allowed fields: "
            "name, port, verbose, hooks\n"
            "/etc/swarm/agent.yaml:6:1: paths: unknown field \"paths\"; allowed fields: name, "
            "port, verbose, hooks\n"
            "/etc/swarm/agent.yaml:7:1: env: unknown field \"env\"; allowed fields: name, port, "
            "verbose, hooks\n"
            "/etc/swarm/agent.yaml:8:1: load: unknown field \"load\"; allowed fields: name, port, "
            "verbose, hooks\n"
            "/etc/swarm/agent.yaml:9:1: hooks.selfCheck: required: the command that checks the "
            "drone\n"
            "/etc/swarm/agent.yaml:10:3: hooks.sync: unknown field \"sync\"; allowed fields: "
            "deploy");
  Status st = diag.ToStatus();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), diag.Message());
}

TEST(YamlMapTest, IgnoredKeysAreAcceptedAndNotRead) {
  YamlDiagnostics diag("x");
  YamlMap m(diag, YAML::Load("name: a\nuid: 123\n"), "metadata", {"name"}, {"uid"});
  EXPECT_TRUE(diag.ok()) << diag.Message();
  EXPECT_FALSE(m.Has("uid"));
}

TEST(YamlMapTest, ANonMappingIsReportedOnce) {
  YamlDiagnostics diag("x");
  YamlMap m(diag, YAML::Load("[1, 2]"), "spec", {"a"});
  std::string a;
  EXPECT_FALSE(m.is_map());
  EXPECT_FALSE(m.ReadString("a", a));
  EXPECT_EQ(diag.Message(), "x:1:1: spec: expected a mapping, got a sequence");
  EXPECT_TRUE(diag.HasErrorAtOrAbove("spec.a[3].b"));
  EXPECT_FALSE(diag.HasErrorAtOrAbove("specs"));
  EXPECT_FALSE(diag.HasErrorAtOrAbove(""));
}

TEST(YamlMapTest, SequencesOfMappingsCarryIndexedPaths) {
  YamlDiagnostics diag("hosts.yaml");
  YamlMap root(diag, Load("hosts:\n  - {name: a}\n  - {name: b, extra: 1}\n"), "", {"hosts"});
  std::vector<std::string> names;
  for (const YamlItem& item : root.ReadSequence("hosts")) {
    YamlMap h(diag, item.node, item.path, {"name"});
    std::string name;
    h.ReadString("name", name);
    names.push_back(item.path + "=" + name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"hosts[0]=a", "hosts[1]=b"}));
  EXPECT_EQ(diag.Message(),
            "hosts.yaml:3:15: hosts[1].extra: unknown field \"extra\"; allowed fields: name");
  EXPECT_EQ(diag.Locate("hosts[1]").line, 3);
  EXPECT_EQ(diag.Locate("hosts[1]").column, 5);
}

TEST(YamlValueTest, NumbersMustBePlainAndWellFormed) {
  struct Case {
    std::string yaml;
    bool ok;
    double value;
  };
  const Case cases[] = {
      {"v: 1e3", true, 1000},    {"v: -2.5", true, -2.5}, {"v: 7", true, 7},
      {"v: !!float 3", true, 3}, {"v: 0x10", false, 0},   {"v: \"1\"", false, 0},
      {"v: .inf", false, 0},     {"v: 1e999", false, 0},  {"v: [1]", false, 0},
      {"v: 1.2.3", false, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.yaml);
    YamlDiagnostics diag("x");
    YamlMap m(diag, YAML::Load(c.yaml), "", {"v"});
    double v = 0;
    EXPECT_EQ(m.ReadDouble("v", v), c.ok);
    EXPECT_EQ(diag.ok(), c.ok) << diag.Message();
    if (c.ok) {
      EXPECT_EQ(v, c.value);
    }
  }
  YamlDiagnostics diag("x");
  YamlMap m(diag, YAML::Load("a: 9223372036854775808\nb: -12\nc: +3"), "", {"a", "b", "c"});
  int64_t a = 0, b = 0, c = 0;
  EXPECT_FALSE(m.ReadInt64("a", a));
  EXPECT_TRUE(m.ReadInt64("b", b));
  EXPECT_TRUE(m.ReadInt64("c", c));
  EXPECT_EQ(b, -12);
  EXPECT_EQ(c, 3);
  EXPECT_EQ(diag.Message(), "x:1:1: a: integer 9223372036854775808 is out of range");
}

// What is read is kept as JSON, which holds only UTF-8; yaml-cpp passes any
// bytes through.
TEST(YamlValueTest, StringsAndStringMapKeysMustBeUtf8) {
  YamlDiagnostics diag("x");
  YamlMap m(diag,
            Load("a: \"gr\xc3\xbc\xc3\x9f\"\nb: \"@wo\xf2ld\"\nc: [ok, \"\xed\xa0\x80\"]\n"
                 "d: {\"\xff\": v, k: \"\xc3\"}\n"),
            "", {"a", "b", "c", "d"});
  std::string a, b;
  std::vector<std::string> c;
  std::map<std::string, std::string> d;
  EXPECT_TRUE(m.ReadString("a", a));
  EXPECT_EQ(a, "gr\xc3\xbc\xc3\x9f");
  EXPECT_FALSE(m.ReadString("b", b));
  EXPECT_EQ(b, "");
  EXPECT_FALSE(m.ReadStringList("c", c));
  EXPECT_FALSE(m.ReadStringMap("d", d));
  EXPECT_EQ(diag.Message(),
            "x:2:1: b: expected UTF-8 text, got a string whose byte 4 is not UTF-8\n"
            "x:3:9: c[1]: expected UTF-8 text, got a string whose byte 1 is not UTF-8\n"
            "x:4:5: d: keys must be UTF-8 text: expected UTF-8 text, got a string whose byte 1 is "
            "not UTF-8\n"
            "x:4:13: d.k: expected UTF-8 text, got a string whose byte 1 is not UTF-8");
}

TEST(YamlDiagnosticsTest, LocatesMissingFieldsAtTheirNearestAncestor) {
  YamlDiagnostics diag("x");
  diag.Record("", {1, 1});
  diag.Record("spec", {5, 1});
  diag.Record("spec.drones[2]", {14, 7});
  diag.Record("spec", {99, 9});  // the first record wins
  EXPECT_EQ(diag.Locate("spec.drones[2].labels.memory").line, 14);
  EXPECT_EQ(diag.Locate("spec.drones[3].name").line, 5);
  EXPECT_EQ(diag.Locate("spec").line, 5);
  EXPECT_EQ(diag.Locate("status.x").line, 1);
  diag.BeginDocument();
  EXPECT_EQ(diag.Locate("spec").line, 0);
  diag.AddAt("spec", "m");
  EXPECT_EQ(diag.Message(), "x: spec: m");
}

TEST(YamlDiagnosticsTest, AnErrorHidesChecksBelowItInItsOwnDocumentOnly) {
  YamlDiagnostics diag("x");
  diag.AddAt("spec.drones[1]", "expected a mapping");
  EXPECT_TRUE(diag.HasErrorAtOrAbove("spec.drones[1]"));
  EXPECT_TRUE(diag.HasErrorAtOrAbove("spec.drones[1].name"));
  EXPECT_FALSE(diag.HasErrorAtOrAbove("spec.drones[10].name"));
  EXPECT_FALSE(diag.HasErrorAtOrAbove("spec.drones"));
  // The next document's spec.drones[1] is another drone, with errors of its own.
  diag.BeginDocument();
  EXPECT_FALSE(diag.HasErrorAtOrAbove("spec.drones[1].name"));
  EXPECT_FALSE(diag.ok());
}

// A Swarm with a mistake in each of many drones (an 8 MiB request body holds
// about 200,000) is checked in time near linear in the errors found: every
// semantic error asks whether its field already has one. (Walking every
// error found so far for each took minutes here.)
TEST(YamlDiagnosticsTest, ManyErrorsCostNearLinearTime) {
  constexpr int kDrones = 50'000;
  YamlDiagnostics diag("x");
  int hidden = 0;
  for (int i = 0; i < kDrones; ++i) {
    const std::string drone = "spec.drones[" + std::to_string(i) + "]";
    if (i % 2 == 0) diag.AddAt(drone, "expected a mapping");
    if (diag.HasErrorAtOrAbove(drone + ".name")) {
      ++hidden;
    } else {
      diag.AddAt(drone + ".name", "bad name");
    }
  }
  EXPECT_EQ(hidden, kDrones / 2);
  EXPECT_EQ(diag.error_count(), size_t(kDrones));
}

TEST(YamlPathTest, JoinsAndSplitsPaths) {
  EXPECT_EQ(JoinPath("", "spec"), "spec");
  EXPECT_EQ(JoinPath("spec", "drones"), "spec.drones");
  EXPECT_EQ(IndexPath("spec.drones", 3), "spec.drones[3]");
  EXPECT_EQ(ParentPath("spec.drones[3].name"), "spec.drones[3]");
  EXPECT_EQ(ParentPath("spec.drones[3]"), "spec.drones");
  EXPECT_EQ(ParentPath("spec"), "");
  EXPECT_EQ(ParentPath(""), "");
}

TEST(LoadYamlDocumentsTest, SyntaxErrorsCarryTheSourceAndPosition) {
  Result<std::vector<YAML::Node>> r = LoadYamlDocuments("a: 1\n b: 2\n", "/etc/agent.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "/etc/agent.yaml:2:3: illegal map value");

  r = LoadYamlDocuments("a: 1\n---\n---\nb: 2\n", "s");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 3u);
}

// yaml-cpp's LoadAll alone never returns on these: it adds an empty document
// per turn, without end, where a document reads nothing.
TEST(LoadYamlDocumentsTest, AStrayCommaWhereADocumentStartsIsAnErrorNotAHang) {
  Result<std::vector<YAML::Node>> r = LoadYamlDocuments(",", "swarm.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "swarm.yaml:1:1: unexpected \",\" where a document should start");

  r = LoadYamlDocuments("a: 1\n---\n, x\n", "swarm.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "swarm.yaml:3:1: unexpected \",\" where a document should start");

  // The input the Swarm codec's fuzzer found (fuzz/corpus/swarm_yaml/).
  r = LoadYamlDocuments(std::string(" ,\xba@\x8f\x8e\xfc\x7f\x00\x7f", 10), "swarm.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace swarm::api

// The fake portage's build mode (hack/fake-portage/emerge) against what the
// agent reads from a build: its injections must print what real emerge
// prints, so that ClassifyBuildFailure, FindBinaryPackage and the host build
// executor see them as they would on a real drone.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "api/packages_index.h"
#include "base/command_runner.h"
#include "node-agent/build_executor.h"
#include "node-agent/build_failure.h"
#include "tests/node-agent/fake_portage.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::ReadFile;
using testing::FakePortagePath;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kOpensslAtom[] = "=dev-libs/openssl-3.3.3";
constexpr char kGiB[] = "1073741824";

class FakeEmergeBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CommandSpec make;
    make.argv = {FakePortagePath("make-tree.sh"), tree_};
    auto made = runner_.Run(make);
    ASSERT_TRUE(made.ok() && made->exit_code == 0) << (made.ok() ? made->output : "");
  }

  CommandResult Build(std::map<std::string, std::string> env = {}) {
    CommandSpec spec;
    spec.argv = {emerge_,       "--fake-repo", tree_,       "--oneshot",   "--usepkg",
                 "--getbinpkg", "--buildpkg",  "--color=n", "--nospinner", kOpensslAtom};
    env["PKGDIR"] = pkgdir_;
    spec.env = std::move(env);
    spec.timeout = std::chrono::seconds(60);
    auto r = runner_.Run(spec);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : CommandResult{};
  }

  static BuildFailure Classify(const CommandResult& r) {
    return ClassifyBuildFailure(r.output, r.exit_code, r.signaled, r.term_signal);
  }
  void Inject(const std::string& kind, const std::string& content) {
    dir_.Write("tree/metadata/fake-emerge/" + kind + "/dev-libs/openssl-3.3.3", content);
  }
  int64_t PackageSize() {
    std::error_code ec;
    auto size = std::filesystem::file_size(binpkg_, ec);
    return ec ? -1 : static_cast<int64_t>(size);
  }

  swarm::testing::TempDir dir_;
  std::string tree_ = dir_.File("tree");
  std::string pkgdir_ = dir_.File("pkgdir");
  const std::string emerge_ = FakePortagePath("emerge");
  std::string binpkg_ = pkgdir_ + "/dev-libs/openssl/openssl-3.3.3-1.gpkg.tar";
  ProcessRunner runner_;
};

TEST_F(FakeEmergeBuildTest, TooLittleMemoryDiesLikeAnOomKilledCompile) {
  Inject("needs-memory", "8589934592\n");  // 8 GiB
  CommandResult small = Build({{"FAKE_EMERGE_MEMORY_BYTES", kGiB}});
  EXPECT_EQ(small.exit_code, 1);
  EXPECT_THAT(small.output,
              HasSubstr("g++: fatal error: Killed signal terminated program cc1plus\n"));
  EXPECT_THAT(small.output,
              HasSubstr(" * ERROR: dev-libs/openssl-3.3.3::gentoo failed (compile phase):\n"));
  EXPECT_EQ(PackageSize(), -1);
  BuildFailure f = Classify(small);
  EXPECT_EQ(f.failure_class, FailureClass::kDroneResources);
  EXPECT_EQ(f.phase, "compile");
  EXPECT_TRUE(f.out_of_memory);
  EXPECT_THAT(f.reason, HasSubstr("Killed signal terminated program cc1plus"));

  EXPECT_EQ(Build({{"FAKE_EMERGE_MEMORY_BYTES", "17179869184"}}).exit_code, 0);
  EXPECT_GT(PackageSize(), 0);
  // A drone whose wrapper does not say its memory builds everything.
  EXPECT_EQ(Build().exit_code, 0);
}

TEST_F(FakeEmergeBuildTest, SamplesClassifyAsTheirNamesSay) {
  struct Sample {
    const char* file;
    FailureClass want;
    const char* phase;
    const char* reason;
  };
  for (const Sample& s : {
           Sample{"samples/no-space.txt", FailureClass::kDroneResources, "install",
                  "No space left on device"},
           Sample{"samples/slot-conflict.txt", FailureClass::kSystemic, "",
                  "!!! Multiple package instances within a single package slot"},
           Sample{"samples/compile-failure.txt", FailureClass::kPackage, "compile",
                  "gcc failed on broken.c"},
       }) {
    SCOPED_TRACE(s.file);
    CommandResult r = Build({{"FAKE_EMERGE_FAIL_ALL", ReadFile(FakePortagePath(s.file))}});
    EXPECT_EQ(r.exit_code, 1);
    BuildFailure f = Classify(r);
    EXPECT_EQ(FailureClassName(f.failure_class), FailureClassName(s.want));
    EXPECT_EQ(f.phase, s.phase);
    EXPECT_THAT(f.reason, HasSubstr(s.reason));
    EXPECT_FALSE(f.out_of_memory);
  }
}

TEST_F(FakeEmergeBuildTest, SlotConflictFailsBeforeAnyBuild) {
  CommandResult r =
      Build({{"FAKE_EMERGE_FAIL_ALL", ReadFile(FakePortagePath("samples/slot-conflict.txt"))}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, Not(HasSubstr(">>> Emerging")));
}

TEST_F(FakeEmergeBuildTest, BuildSecondsMakeTheBuildTakeThatLong) {
  // A long build is cancelled once it is under way: the sleep is in the
  // compile phase, and nothing is installed.
  std::string log = dir_.File("build.log");
  CommandSpec spec;
  spec.argv = {emerge_, "--fake-repo", tree_, "--oneshot", kOpensslAtom};
  spec.env = {{"PKGDIR", pkgdir_}, {"FAKE_EMERGE_BUILD_SECONDS", "600"}};
  spec.output_file = log;
  auto token = std::make_shared<CancelToken>();
  spec.cancel = token;
  Result<CommandResult> r = Unavailable("not run");
  std::thread build([&] { r = runner_.Run(spec); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (ReadFile(log).find("[1/2]") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the log
  }
  token->Cancel();
  build.join();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->cancelled);
  EXPECT_THAT(r->output, HasSubstr(">>> Compiling source in "));
  EXPECT_THAT(r->output, Not(HasSubstr(">>> Completed")));
  EXPECT_EQ(PackageSize(), -1);

  // Per package, from the tree.
  Inject("build-seconds", "0.05\n");
  CommandResult quick = Build();
  EXPECT_EQ(quick.exit_code, 0) << quick.output;
  EXPECT_THAT(quick.output, HasSubstr("[1/2] "));

  Inject("build-seconds", "soon");
  CommandResult bad = Build();
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.output, HasSubstr("build-seconds for =dev-libs/openssl-3.3.3 is not a number"));
}

TEST_F(FakeEmergeBuildTest, ZeroBytePackages) {
  EXPECT_EQ(Build({{"FAKE_EMERGE_ZERO_BYTE", "1"}}).exit_code, 0);
  EXPECT_EQ(PackageSize(), 0);

  Inject("zero-byte-once", "");
  CommandResult first = Build();
  EXPECT_EQ(first.exit_code, 0);
  EXPECT_THAT(first.output, HasSubstr(">>> Completed (1 of 1) dev-libs/openssl-3.3.3::gentoo"));
  EXPECT_EQ(PackageSize(), 0);
  EXPECT_FALSE(std::filesystem::exists(
      tree_ + "/metadata/fake-emerge/zero-byte-once/dev-libs/openssl-3.3.3"));
  EXPECT_EQ(Build().exit_code, 0);
  EXPECT_GT(PackageSize(), 0);

  Inject("zero-byte", "");
  Build();
  Build();
  EXPECT_EQ(PackageSize(), 0);
}

TEST_F(FakeEmergeBuildTest, BuildLogRecordsStartsAndSuccesses) {
  const std::string log = dir_.File("builds.log");
  EXPECT_EQ(Build({{"FAKE_EMERGE_BUILD_LOG", log}}).exit_code, 0);
  EXPECT_EQ(ReadFile(log), "start dev-libs/openssl-3.3.3\ndone dev-libs/openssl-3.3.3\n");
  Inject("needs-memory", "8589934592");
  EXPECT_EQ(Build({{"FAKE_EMERGE_BUILD_LOG", log}, {"FAKE_EMERGE_MEMORY_BYTES", kGiB}}).exit_code,
            1);
  const std::string conflict = ReadFile(FakePortagePath("samples/slot-conflict.txt"));
  EXPECT_EQ(Build({{"FAKE_EMERGE_BUILD_LOG", log}, {"FAKE_EMERGE_FAIL_ALL", conflict}}).exit_code,
            1);
  // The OOM started and never finished; the resolver refusal never started.
  EXPECT_EQ(ReadFile(log),
            "start dev-libs/openssl-3.3.3\ndone dev-libs/openssl-3.3.3\n"
            "start dev-libs/openssl-3.3.3\n");
}

// Portage's $PKGDIR/Packages after the build: a header, then one block per
// package, sorted by CPV; a rebuild replaces its block.
TEST_F(FakeEmergeBuildTest, ASuccessIsIndexedInPackagesAsPortageDoes) {
  ASSERT_EQ(Build().exit_code, 0);
  std::ifstream in(pkgdir_ + "/Packages");
  ASSERT_TRUE(in.good());
  api::IndexReader reader(in);
  api::IndexBlock header, block;
  bool overlong = false;
  ASSERT_TRUE(reader.ReadHeader(&header));
  ASSERT_NE(header.Find("VERSION"), nullptr);
  EXPECT_EQ(*header.Find("VERSION"), "0");
  EXPECT_EQ(*header.Find("PACKAGES"), "1");
  EXPECT_EQ(*header.Find("CHOST"), "x86_64-pc-linux-gnu");
  ASSERT_NE(header.Find("TIMESTAMP"), nullptr);
  ASSERT_TRUE(reader.NextPackage(&block, &overlong));
  struct stat st;
  ASSERT_EQ(::stat(binpkg_.c_str(), &st), 0);
  EXPECT_EQ(*block.Find("CPV"), "dev-libs/openssl-3.3.3");
  EXPECT_EQ(*block.Find("PATH"), "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  EXPECT_EQ(*block.Find("BUILD_ID"), "1");
  EXPECT_EQ(*block.Find("SIZE"), std::to_string(st.st_size));
  EXPECT_EQ(*block.Find("MTIME"), std::to_string(st.st_mtim.tv_sec));
  EXPECT_EQ(*block.Find("EAPI"), "8");
  EXPECT_EQ(*block.Find("KEYWORDS"), "amd64");
  EXPECT_EQ(*block.Find("REPO"), "gentoo");
  EXPECT_EQ(block.Find("SLOT"), nullptr) << "portage leaves out SLOT 0";
  EXPECT_EQ(block.Find("MD5")->size(), 32u);
  EXPECT_EQ(block.Find("SHA1")->size(), 40u);
  EXPECT_FALSE(reader.NextPackage(&block, &overlong));

  // Rebuilt, and another package next to it: two blocks, sorted by CPV, and
  // apart from MTIME and TIMESTAMP the same text every time.
  auto strip = [](const std::string& text) {
    std::istringstream lines(text);
    std::string out;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("MTIME: ", 0) != 0 && line.rfind("TIMESTAMP: ", 0) != 0) out += line + "\n";
    }
    return out;
  };
  const std::string first = strip(ReadFile(pkgdir_ + "/Packages"));
  ASSERT_EQ(Build().exit_code, 0);
  EXPECT_EQ(strip(ReadFile(pkgdir_ + "/Packages")), first);
  CommandSpec spec;
  spec.argv = {emerge_, "--fake-repo", tree_, "--oneshot", "=dev-qt/qtbase-6.8.1"};
  spec.env = {{"PKGDIR", pkgdir_}};
  auto qt = runner_.Run(spec);
  ASSERT_TRUE(qt.ok() && qt->exit_code == 0) << (qt.ok() ? qt->output : qt.status().ToString());
  std::ifstream both(pkgdir_ + "/Packages");
  api::IndexReader r3(both);
  r3.ReadHeader(&header);
  EXPECT_EQ(*header.Find("PACKAGES"), "2");
  std::vector<std::string> cpvs;
  while (r3.NextPackage(&block, &overlong)) cpvs.push_back(*block.Find("CPV"));
  EXPECT_EQ(cpvs, (std::vector<std::string>{"dev-libs/openssl-3.3.3", "dev-qt/qtbase-6.8.1"}));
}

TEST_F(FakeEmergeBuildTest, OutputIsTheSameOnEveryRun) {
  Inject("needs-memory", "8589934592");
  CommandResult a = Build({{"FAKE_EMERGE_MEMORY_BYTES", kGiB}});
  CommandResult b = Build({{"FAKE_EMERGE_MEMORY_BYTES", kGiB}});
  EXPECT_EQ(a.output, b.output);
}

// The host executor on a drone whose emerge is the fake one, through the
// one-line wrapper drones use.
class HostBuildOnFakePortageTest : public FakeEmergeBuildTest {
 protected:
  FinishedBuild BuildWith(const std::string& exports) {
    const std::string wrapper =
        dir_.Write("bin/emerge", "#!/bin/sh\n" + exports + "exec " + emerge_ + " --fake-repo " +
                                     tree_ + " \"$@\"\n");
    chmod(wrapper.c_str(), 0755);
    BuildSettings settings;
    settings.state_dir = dir_.File("state");
    settings.pkg_dir = pkgdir_;
    settings.emerge = wrapper;
    HostBuildExecutor executor(settings, &runner_, SystemClock::Get());
    return executor.Execute(api::BuildAssignment{"b-1", "dev-libs/openssl-3.3.3", 1},
                            std::make_shared<CancelToken>());
  }
};

TEST_F(HostBuildOnFakePortageTest, SuccessFindsThePackage) {
  FinishedBuild f = BuildWith("");
  EXPECT_EQ(f.result.outcome, api::kBuildSucceeded) << f.result.message;
  ASSERT_TRUE(f.result.binpkg.has_value());
  EXPECT_EQ(f.result.binpkg->path, "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  EXPECT_EQ(f.result.binpkg->size, PackageSize());
  EXPECT_EQ(f.binpkg_path, binpkg_);
  EXPECT_THAT(ReadFile(f.log_path), HasSubstr(">>> Completed (1 of 1)"));
  // Its block of PKGDIR/Packages rides along, with the header's CHOST.
  EXPECT_THAT(f.result.index_entry, HasSubstr("CPV: dev-libs/openssl-3.3.3\n"));
  EXPECT_THAT(f.result.index_entry,
              HasSubstr("PATH: dev-libs/openssl/openssl-3.3.3-1.gpkg.tar\n"));
  EXPECT_THAT(f.result.index_entry, HasSubstr("SIZE: " + std::to_string(PackageSize()) + "\n"));
  EXPECT_THAT(f.result.index_entry, HasSubstr("CHOST: x86_64-pc-linux-gnu\n"));
}

TEST_F(HostBuildOnFakePortageTest, AnEmptiedPackageSendsNoStaleEntry) {
  FinishedBuild f = BuildWith("export FAKE_EMERGE_ZERO_BYTE=1\n");
  EXPECT_EQ(f.result.outcome, api::kBuildSucceeded) << f.result.message;
  ASSERT_TRUE(f.result.binpkg.has_value());
  EXPECT_EQ(f.result.binpkg->size, 0);
  EXPECT_EQ(f.result.index_entry, "") << "Packages describes the file before it was emptied";
}

TEST_F(HostBuildOnFakePortageTest, OomIsReportedAsOne) {
  Inject("needs-memory", "8589934592");
  FinishedBuild f = BuildWith("export FAKE_EMERGE_MEMORY_BYTES=1073741824\n");
  EXPECT_EQ(f.result.outcome, api::kBuildFailed);
  EXPECT_EQ(f.result.failure_class, api::kFailureDroneResources);
  EXPECT_EQ(f.result.phase, "compile");
  EXPECT_TRUE(f.result.oom_killed);
  EXPECT_THAT(f.result.log_tail, HasSubstr("failed (compile phase)"));
  EXPECT_THAT(ReadFile(f.log_path), HasSubstr("Killed signal terminated program cc1plus"));
}

TEST_F(HostBuildOnFakePortageTest, ALinkPlantedAtTheLogPathFailsTheBuildAndIsNotFollowed) {
  const std::string target = dir_.Write("elsewhere/passwd", "root:x:0:0::/root:/bin/sh\n");
  ASSERT_TRUE(std::filesystem::create_directories(dir_.File("state/logs")));
  ASSERT_EQ(symlink(target.c_str(), dir_.File("state/logs/b-1.log").c_str()), 0);
  FinishedBuild f = BuildWith("");
  EXPECT_EQ(f.result.outcome, api::kBuildFailed);
  EXPECT_EQ(f.result.failure_class, api::kFailureDroneResources);
  EXPECT_EQ(f.result.message, "emerge could not run: cannot open the output file: \"" +
                                  dir_.File("state/logs/b-1.log") +
                                  "\" is a symbolic link; refusing to follow it");
  EXPECT_EQ(f.log_path, "") << "the file the link points to would be uploaded as the log";
  EXPECT_EQ(ReadFile(target), "root:x:0:0::/root:/bin/sh\n");
  EXPECT_FALSE(std::filesystem::exists(binpkg_)) << "emerge ran";
}

}  // namespace
}  // namespace swarm::agent

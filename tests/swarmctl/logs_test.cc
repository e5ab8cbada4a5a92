#include "swarmctl/logs.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::FakeApi;

constexpr char kLogPath[] = "/api/v1/packages/dev-libs/openssl-3.3.3/log";
constexpr char kLog[] =
    ">>> Emerging (1 of 1) dev-libs/openssl-3.3.3::gentoo\n"
    ">>> Compiling source in /var/tmp/portage/dev-libs/openssl-3.3.3/work/openssl-3.3.3 ...\n"
    "cc1: out of memory allocating 65536 bytes\n"
    " * ERROR: dev-libs/openssl-3.3.3::gentoo failed (compile phase):\n"
    " *   emake failed";  // the controller keeps the tail: it may end mid-line

class LogsTest : public ::testing::Test {
 protected:
  int Run(const std::string& arg) { return RunLogs(arg, api_, out_, err_); }

  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(LogsTest, PrintsTheLogAsItCame) {
  api_.Reply("GET", kLogPath, 200, kLog, "text/plain; charset=utf-8");
  ASSERT_EQ(Run("dev-libs/openssl-3.3.3"), 0) << err_.str();
  EXPECT_EQ(out_.str(), kLog);
  EXPECT_EQ(err_.str(), "");
  ASSERT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(api_.requests()[0].method, "GET");
  EXPECT_EQ(api_.requests()[0].path, kLogPath);
}

TEST_F(LogsTest, TakesAnEmergeAtomsLeadingEquals) {
  api_.Reply("GET", kLogPath, 200, kLog, "text/plain");
  ASSERT_EQ(Run("=dev-libs/openssl-3.3.3"), 0) << err_.str();
  EXPECT_EQ(out_.str(), kLog);
}

TEST_F(LogsTest, NoLogYetIsOneLine) {
  api_.Reply("GET", kLogPath, 404,
             R"({"kind":"Status","status":"Failure","code":404,"reason":"NotFound",)"
             R"("message":"no build log for dev-libs/openssl-3.3.3"})");
  EXPECT_EQ(Run("=dev-libs/openssl-3.3.3"), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: no build log for dev-libs/openssl-3.3.3 yet\n");
}

TEST_F(LogsTest, OtherFailuresAreOneLine) {
  api_.Reply("GET", kLogPath, 401, R"({"kind":"Status","message":"unknown bearer token"})");
  EXPECT_EQ(Run("dev-libs/openssl-3.3.3"), 1);
  EXPECT_EQ(err_.str(), "error: 401 Unauthorized: unknown bearer token\n");

  err_.str("");
  api_.Fail("GET", kLogPath, Unavailable("cannot reach http://127.0.0.1:7800: Connection"));
  EXPECT_EQ(Run("dev-libs/openssl-3.3.3"), 1);
  EXPECT_EQ(err_.str(), "error: cannot reach http://127.0.0.1:7800: Connection\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(LogsTest, MalformedArgumentsAreUsageErrorsAndSendNothing) {
  const std::string want = ": want CATEGORY/NAME-VERSION, e.g. dev-libs/openssl-3.3.3\n";
  struct Case {
    std::string arg;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {"", "error: a package is required"},
           {"=", "error: a package is required"},
           {"openssl-3.3.3", "error: \"openssl-3.3.3\" has no category"},
           {"dev-libs/openssl", "error: \"dev-libs/openssl\" has no version"},
           {"dev-libs/openssl-3.3.3/log",
            "error: \"dev-libs/openssl-3.3.3/log\" has more than one '/'"},
           {">=dev-libs/openssl-3.3.3",
            "error: \">=dev-libs/openssl-3.3.3\" has no valid category"},
           {"dev-libs/openssl-3.3.3:0/3",
            "error: \"dev-libs/openssl-3.3.3:0/3\" has more than one '/'"},
           {"dev-libs/openssl-3.3.3:0",
            "error: \"dev-libs/openssl-3.3.3:0\" is not NAME-VERSION "
            "after the category"},
           {"dev-libs/openssl-3.3.3-r",
            "error: \"dev-libs/openssl-3.3.3-r\" is not "
            "NAME-VERSION after the category"},
           {"dev-libs/-3.3.3", "error: \"dev-libs/-3.3.3\" is not NAME-VERSION after the category"},
           {"../passwd-1", "error: \"../passwd-1\" has no valid category"},
       }) {
    err_.str("");
    EXPECT_EQ(Run(c.arg), 2) << c.arg;
    EXPECT_EQ(err_.str(), c.error + want) << c.arg;
  }
  EXPECT_TRUE(api_.requests().empty());
  EXPECT_EQ(out_.str(), "");
}

TEST(PackageVersionArgTest, AcceptsWhatPortageWrites) {
  for (const char* cpv :
       {"sys-libs/glibc-2.40-r5", "dev-libs/libsigc++-2.12.1", "x11-libs/gtk+-3.24.43",
        "dev-lang/python-3.12.8_p1-r1", "app-misc/foo-1.0_rc2_p3", "media-libs/x264-0.0.20240513",
        "dev-util/foo-1-bar-2", "virtual/perl-File-Spec-3.900.0", "dev-qt/qtwebengine-6.8.1",
        "sys-kernel/linux-firmware-20250109"}) {
    auto got = PackageVersionArg(cpv);
    ASSERT_TRUE(got.ok()) << cpv << ": " << got.status().message();
    EXPECT_EQ(*got, cpv);
    EXPECT_EQ(*PackageVersionArg(std::string("=") + cpv), cpv);
  }
}

TEST_F(LogsTest, PathSegmentsAreEscaped) {
  api_.Reply("GET", "/api/v1/packages/dev-libs/libsigc%2B%2B-2.12.1/log", 200, "ok\n",
             "text/plain");
  ASSERT_EQ(Run("dev-libs/libsigc++-2.12.1"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "ok\n");
}

}  // namespace
}  // namespace swarm::ctl

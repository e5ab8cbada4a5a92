// GET /metrics as a Prometheus server on the controller's machine scrapes it:
// on a loopback address of its own, without a token (--metrics-listen).
// What the numbers say after real builds is checked in dispatch_test.cc.

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "base/http_client.h"
#include "tests/integration/harness.h"

namespace swarm::testing {
namespace {

TEST(MetricsListenTest, ServesMetricsWithoutATokenOnLoopbackOnly) {
  TempDir dir;
  const std::string tokens = dir.WriteSecret("tokens.csv", "admintok,admin,admin\n");
  auto refused = RunCommand({BinPath("swarm-controller"), "--state", dir.File("state.db"),
                             "--token-auth-file", tokens, "--metrics-listen", "0.0.0.0:9100"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--metrics-listen 0.0.0.0:9100: metrics without a token are served "
                             "on loopback only"),
            std::string::npos)
      << refused.err;

  auto controller =
      Process::Start({BinPath("swarm-controller"), "--listen", "127.0.0.1:0", "--state",
                      dir.File("state.db"), "--token-auth-file", tokens, "--address-file",
                      dir.File("addr"), "--metrics-listen", "127.0.0.1:0"},
                     dir.File("controller.log"));
  std::smatch m;
  const std::regex served(R"(serving metrics on (http://127\.0\.0\.1:[0-9]+)/metrics)");
  std::string log;
  ASSERT_TRUE(WaitFor([&] {
    log = ReadFile(dir.File("controller.log"));
    return std::regex_search(log, m, served) && !ReadFile(dir.File("addr")).empty();
  })) << log;
  const std::string metrics_url = m[1];

  auto scraper = HttpClient::Create(metrics_url, "");
  ASSERT_TRUE(scraper.ok()) << scraper.status().ToString();
  auto got = (*scraper)->Get("/metrics");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->status, 200);
  EXPECT_NE(got->body.find("# TYPE buildswarm_builds_started_total counter\n"), std::string::npos)
      << got->body;
  EXPECT_EQ(MetricValue(got->body, "buildswarm_builds_started_total"), 0);
  EXPECT_EQ(PromtoolCheck(got->body), "");
  // Nothing else is served there.
  auto api = (*scraper)->Get("/api/v1/swarm");
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(api->status, 404);

  // On the API's own address /metrics wants a token.
  std::string url = ReadFile(dir.File("addr"));
  url.erase(url.find_last_not_of("\n") + 1);
  auto anonymous = HttpClient::Create(url, "");
  ASSERT_TRUE(anonymous.ok());
  auto refused_scrape = (*anonymous)->Get("/metrics");
  ASSERT_TRUE(refused_scrape.ok());
  EXPECT_EQ(refused_scrape->status, 401);
}

}  // namespace
}  // namespace swarm::testing

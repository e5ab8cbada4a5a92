#include "controller/server/listen_address.h"

#include <gtest/gtest.h>

namespace swarm::controller {
namespace {

TEST(ListenAddressTest, Parses) {
  auto a = ParseListenAddress("127.0.0.1:7800");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 7800);
  auto v6 = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_EQ(v6->UrlHost(), "[::1]");
  auto any = ParseListenAddress(":7800");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->host, "0.0.0.0");
}

TEST(ListenAddressTest, LoopbackIsOnlyWhatThisMachineReaches) {
  for (const char* host : {"127.0.0.1", "127.3.2.1", "::1", "localhost"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "ctl.example", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(ListenAddressTest, RejectsWithReason) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"127.0.0.1", "is not HOST:PORT"},
      {"127.0.0.1:", "is not a number"},
      {"127.0.0.1:http", "is not a number"},
      {"127.0.0.1:70000", "out of range"},
      {"::1:80", "IPv6 host goes in brackets"},
  };
  for (const auto& c : cases) {
    auto a = ParseListenAddress(c.text);
    ASSERT_FALSE(a.ok()) << c.text;
    EXPECT_NE(a.status().message().find(c.want), std::string::npos) << a.status().message();
  }
}

}  // namespace
}  // namespace swarm::controller

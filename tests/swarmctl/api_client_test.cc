#include "swarmctl/api_client.h"

#include <gtest/gtest.h>

#include <iostream>

#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::FakeApi;

TEST(GetJsonTest, ParsesAnObjectReply) {
  FakeApi api;
  api.Reply("GET", "/x", 200, R"({"b": 1, "a": 2})");
  auto j = GetJson(api, "/x");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->begin().key(), "b");  // server order kept
}

TEST(GetJsonTest, MapsHttpErrorsToCodesWithTheServersMessage) {
  struct Case {
    int http;
    StatusCode code;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {401, StatusCode::kUnauthenticated, "401 Unauthorized: unknown token"},
           {403, StatusCode::kPermissionDenied, "403 Forbidden: unknown token"},
           {404, StatusCode::kNotFound, "404 Not Found: unknown token"},
           {409, StatusCode::kConflict, "409 Conflict: unknown token"},
           {400, StatusCode::kInvalidArgument, "400 Bad Request: unknown token"},
           {500, StatusCode::kInternal, "500 Internal Server Error: unknown token"},
       }) {
    FakeApi api;
    api.Reply("GET", "/x", c.http,
              R"({"kind":"Status","status":"Failure","message":"unknown token"})");
    auto j = GetJson(api, "/x");
    ASSERT_FALSE(j.ok());
    EXPECT_EQ(j.status().code(), c.code);
    EXPECT_EQ(j.status().message(), c.message);
  }
}

TEST(GetJsonTest, OddRepliesAreErrorsNotCrashes) {
  FakeApi api;
  api.Reply("GET", "/html", 200, "<html>\n<body>proxy login</body></html>");
  api.Reply("GET", "/array", 200, "[1,2]");
  api.Reply("GET", "/empty", 200, "");
  api.Reply("GET", "/plain404", 404, "404 page not found\n");
  EXPECT_EQ(GetJson(api, "/html").status().message(),
            "unexpected reply to GET /html: not JSON: \"<html> <body>proxy login</body></html>\"");
  EXPECT_EQ(GetJson(api, "/array").status().message(),
            "unexpected reply to GET /array: not a JSON object: \"[1,2]\"");
  EXPECT_EQ(GetJson(api, "/empty").status().message(),
            "unexpected reply to GET /empty: not JSON: empty body");
  EXPECT_EQ(GetJson(api, "/plain404").status().message(), "404 Not Found: 404 page not found");
}

TEST(GetJsonTest, TransportFailureIsUnavailableUnchanged) {
  FakeApi api;
  api.Fail("GET", "/x", Unavailable("cannot reach http://127.0.0.1:7800: Connection"));
  auto j = GetJson(api, "/x");
  EXPECT_EQ(j.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(j.status().message(), "cannot reach http://127.0.0.1:7800: Connection");
}

TEST(GetJsonTest, RealTransportReportsAnUnreachableServer) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto api = HttpApiTransport::Create("http://127.0.0.1:1", "t", {}, std::cerr);
  ASSERT_TRUE(api.ok());
  auto j = GetJson(**api, "/api/v1/drones");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(j.status().message().rfind("cannot reach http://127.0.0.1:1: ", 0), 0u)
      << j.status().message();
}

TEST(GetTextTest, ReturnsAnyBodyAsItCame) {
  FakeApi api;
  api.Reply("GET", "/log", 200, ">>> Emerging (1 of 1) dev-libs/openssl-3.3.3\n\tcc -O2\n",
            "text/plain");
  api.Reply("GET", "/empty", 200, "", "text/plain");
  api.Reply("GET", "/json", 200, R"({"a": 1})");
  EXPECT_EQ(*GetText(api, "/log"), ">>> Emerging (1 of 1) dev-libs/openssl-3.3.3\n\tcc -O2\n");
  EXPECT_EQ(*GetText(api, "/empty"), "");
  EXPECT_EQ(*GetText(api, "/json"), R"({"a": 1})");
}

TEST(GetTextTest, ErrorsAsGetJson) {
  FakeApi api;
  api.Reply("GET", "/missing", 404,
            R"({"kind":"Status","status":"Failure","code":404,"message":"no log"})");
  api.Reply("GET", "/plain", 500, "boom\n", "text/plain");
  api.Fail("GET", "/down", Unavailable("cannot reach http://127.0.0.1:7800: Connection"));
  EXPECT_EQ(GetText(api, "/missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(GetText(api, "/missing").status().message(), "404 Not Found: no log");
  EXPECT_EQ(GetText(api, "/plain").status().message(), "500 Internal Server Error: boom");
  EXPECT_EQ(GetText(api, "/down").status().code(), StatusCode::kUnavailable);
}

TEST(PostJsonTest, SendsTheBodyAndReadsTheReplyAsGetJsonDoes) {
  FakeApi api;
  api.Reply("POST", "/x", 200, R"({"accepted": true})");
  api.Reply("POST", "/bad", 200, "ok");
  auto j = PostJson(api, "/x", "{}");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["accepted"], true);
  EXPECT_EQ(api.requests()[0].method, "POST");
  EXPECT_EQ(api.requests()[0].body, "{}");
  EXPECT_EQ(PostJson(api, "/bad", "{}").status().message(),
            "unexpected reply to POST /bad: not JSON: \"ok\"");
}

TEST(PostJsonTest, RealTransportReportsAnUnreachableServer) {
  auto api = HttpApiTransport::Create("http://127.0.0.1:1", "t", {}, std::cerr);
  ASSERT_TRUE(api.ok());
  auto j = PostJson(**api, "/api/v1/swarm/fresh", "{}");
  EXPECT_EQ(j.status().code(), StatusCode::kUnavailable);
}

TEST(HttpApiTransportTest, RefusesAMalformedServerUrl) {
  auto api = HttpApiTransport::Create("ftp://host", "", {}, std::cerr);
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.status().code(), StatusCode::kInvalidArgument);
}

TEST(ListItemsTest, RequiresAnArrayOfObjects) {
  EXPECT_TRUE(ListItems(Json::parse(R"({"items": []})"), "GET /l").ok());
  EXPECT_EQ(ListItems(Json::parse(R"({"kind": "DroneList"})"), "GET /l").status().message(),
            "unexpected reply to GET /l: no \"items\" list");
  EXPECT_EQ(ListItems(Json::parse(R"({"items": [1]})"), "GET /l").status().message(),
            "unexpected reply to GET /l: an item is not an object");
}

TEST(EscapeComponentTest, EncodesAllButUnreserved) {
  EXPECT_EQ(EscapeComponent("drone-izar_1.x~"), "drone-izar_1.x~");
  EXPECT_EQ(EscapeComponent("a b/c?d&e"), "a%20b%2Fc%3Fd%26e");
}

}  // namespace
}  // namespace swarm::ctl

#include "base/http_client.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <string>
#include <thread>

#include "tests/support/temp_dir.h"

namespace swarm {
namespace {

using ::swarm::testing::TempDir;

// What the server saw of the last request.
struct Seen {
  std::string method, path, body, content_type, authorization;
  httplib::Headers headers;
  int requests = 0;
};

// A server on 127.0.0.1 at a port the kernel picks, answering every PUT with
// 200 and the byte count.
class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Put(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> l(mu_);
      seen_.method = req.method;
      seen_.path = req.path;
      seen_.body = req.body;
      seen_.content_type = req.get_header_value("Content-Type");
      seen_.authorization = req.get_header_value("Authorization");
      seen_.headers = req.headers;
      ++seen_.requests;
      res.set_content("{\"bytes\": " + std::to_string(req.body.size()) + "}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost and join() would hang.
    while (!server_.is_running()) std::this_thread::yield();
    auto c = HttpClient::Create("http://127.0.0.1:" + std::to_string(port_), "s3cret");
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    client_ = std::move(c).value();
  }

  void TearDown() override {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  Seen seen() {
    std::lock_guard<std::mutex> l(mu_);
    return seen_;
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<HttpClient> client_;
  std::mutex mu_;
  Seen seen_;
  TempDir dir_;
};

TEST_F(HttpClientTest, PutBodySendsItsContentTypeAndHeaders) {
  auto r = client_->PutBody("/api/v1/drones/d/builds/a1/log", "line 1\nline 2\n", "text/plain",
                            {{"X-Extra", "yes"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"bytes\": 14}");
  Seen s = seen();
  EXPECT_EQ(s.method, "PUT");
  EXPECT_EQ(s.path, "/api/v1/drones/d/builds/a1/log");
  EXPECT_EQ(s.body, "line 1\nline 2\n");
  EXPECT_EQ(s.content_type, "text/plain");
  EXPECT_EQ(s.authorization, "Bearer s3cret");
  EXPECT_EQ(s.headers.find("X-Extra")->second, "yes");
}

TEST_F(HttpClientTest, PutFileStreamsTheWholeFile) {
  // Past any single read chunk, with every byte value.
  std::string bytes;
  for (int i = 0; i < 3 * 1024 * 1024 + 17; ++i) bytes.push_back(static_cast<char>(i * 7 % 256));
  const std::string file = dir_.Write("pkg.gpkg.tar", bytes);
  auto r =
      client_->PutFile("/upload", file, {{"X-Binpkg-Path", "dev-libs/foo/foo-1.0-1.gpkg.tar"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  Seen s = seen();
  EXPECT_EQ(s.body.size(), bytes.size());
  EXPECT_TRUE(s.body == bytes);
  EXPECT_EQ(s.content_type, "application/octet-stream");
  EXPECT_EQ(s.authorization, "Bearer s3cret");
  EXPECT_EQ(s.headers.find("X-Binpkg-Path")->second, "dev-libs/foo/foo-1.0-1.gpkg.tar");
}

TEST_F(HttpClientTest, PutFileOfAnEmptyFileSendsAnEmptyBody) {
  const std::string file = dir_.Write("empty.tbz2", "");
  auto r = client_->PutFile("/upload", file);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(seen().requests, 1);
  EXPECT_EQ(seen().body, "");
}

TEST_F(HttpClientTest, PutFileOfAMissingFileSendsNothing) {
  auto r = client_->PutFile("/upload", dir_.File("gone.gpkg.tar"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("gone.gpkg.tar"), std::string::npos);
  EXPECT_EQ(seen().requests, 0);
}

TEST_F(HttpClientTest, AWarningHeaderComesBackAsItsText) {
  server_.set_default_headers({{"Warning", "299 - \"tokens travel in clear text\""}});
  auto r = client_->Put("/x", "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->warning, "tokens travel in clear text");
}

TEST(HttpClientCreateTest, TlsFilesNeedHttpsAndMustBeReadable) {
  TempDir dir;
  const std::string ca = dir.Write("ca.pem", "x");
  auto c = HttpClient::Create("http://127.0.0.1:1", "t", TlsClientFiles{ca, "", ""});
  ASSERT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("use https://"), std::string::npos);
  c = HttpClient::Create("https://127.0.0.1:1", "t", TlsClientFiles{dir.File("none.pem"), "", ""});
  ASSERT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find(dir.File("none.pem")), std::string::npos);
  c = HttpClient::Create("https://127.0.0.1:1", "t", TlsClientFiles{ca, ca, ""});
  ASSERT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("both"), std::string::npos);
  EXPECT_TRUE(HttpClient::Create("https://127.0.0.1:1", "t").ok());
  EXPECT_EQ(HttpClient::Create("ftp://127.0.0.1:1", "t").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(HttpClientUnreachableTest, PutsAreUnavailable) {
  // Port 1 on loopback: nothing listens there.
  auto c = HttpClient::Create("http://127.0.0.1:1", "t", std::chrono::milliseconds(500));
  ASSERT_TRUE(c.ok());
  TempDir dir;
  auto body = (*c)->PutBody("/x", "y", "text/plain");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), StatusCode::kUnavailable);
  auto file = (*c)->PutFile("/x", dir.Write("f", "bytes"));
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(file.status().message().find("cannot reach"), std::string::npos);
}

}  // namespace
}  // namespace swarm

#include "controller/server/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/http_client.h"
#include "base/unique_fd.h"

namespace swarm::controller {
namespace {

// An HttpServer on 127.0.0.1 answering GET /ok, served on a thread of its own.
class Served {
 public:
  explicit Served(ConnectionLimits limits) : server_(limits, nullptr) {
    server_.Get("/ok", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    port_ = server_.Bind("127.0.0.1", 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // Shutdown() before the accept loop runs would be lost and join() would hang.
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~Served() {
    server_.Shutdown();
    thread_.join();
  }
  int port() const { return port_; }
  HttpServer& server() { return server_; }

  // A GET /ok on a new connection; its HTTP status, or -1 when refused.
  int Get() {
    auto c = HttpClient::Create("http://127.0.0.1:" + std::to_string(port_), "");
    if (!c.ok()) return -1;
    auto r = (*c)->Get("/ok");
    return r.ok() ? r->status : -1;
  }

 private:
  HttpServer server_;
  int port_ = 0;
  std::thread thread_;
};

// A raw TCP connection from `source` (any 127.0.0.0/8 address) to the server.
UniqueFd Connect(int port, const char* source = "127.0.0.1") {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source, &from.sin_addr);
  EXPECT_EQ(bind(fd.get(), reinterpret_cast<sockaddr*>(&from), sizeof from), 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  EXPECT_EQ(connect(fd.get(), reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
  return fd;
}

// Blocks until the server closes the connection (true) or sends something
// (false); a test that hangs here fails by CTest's timeout.
bool ClosedByServer(int fd) {
  char c;
  return recv(fd, &c, 1, 0) <= 0;
}

// Sends a whole request for /ok, reads the whole reply (its body is "ok")
// and returns its status line; "" when the connection ends first.
std::string Request(int fd, const std::string& request) {
  EXPECT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  std::string reply;
  while (reply.find("\r\n\r\nok") == std::string::npos) {
    char buf[512];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return "";
    reply.append(buf, static_cast<size_t>(n));
  }
  return reply.substr(0, reply.find("\r\n"));
}

TEST(HttpServerTest, HeadersThatDoNotArriveInTimeEndTheConnection) {
  ConnectionLimits limits;
  limits.header_timeout = std::chrono::milliseconds(200);
  Served s(limits);
  UniqueFd idle = Connect(s.port());
  UniqueFd partial = Connect(s.port());
  const std::string start = "GET /ok HTTP/1.1\r\nHost: x\r\n";
  ASSERT_EQ(send(partial.get(), start.data(), start.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(start.size()));
  EXPECT_TRUE(ClosedByServer(idle.get()));
  EXPECT_TRUE(ClosedByServer(partial.get()));
  EXPECT_EQ(s.server().Counts().header_timeouts, 2u);
  // A whole request on time is answered, and the connection stays for the next.
  UniqueFd prompt = Connect(s.port());
  EXPECT_EQ(Request(prompt.get(), "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 200 OK");
  EXPECT_EQ(Request(prompt.get(), "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 200 OK");
}

TEST(HttpServerTest, ATricklingPeerIsCutOffAtTheDeadlineWhateverItSends) {
  ConnectionLimits limits;
  limits.header_timeout = std::chrono::milliseconds(300);
  Served s(limits);
  UniqueFd fd = Connect(s.port());
  // One header byte every 20 ms would keep a per-read timeout happy forever.
  const std::string endless = "GET /ok HTTP/1.1\r\nX-Slow: " + std::string(100000, 'a');
  size_t sent = 0;
  while (sent < endless.size() &&
         send(fd.get(), endless.data() + sent, 1, MSG_NOSIGNAL) == 1) {
    ++sent;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(ClosedByServer(fd.get()));
  EXPECT_LT(sent, endless.size());
  EXPECT_EQ(s.server().Counts().header_timeouts, 1u);
}

TEST(HttpServerTest, SlowConnectionsTakeNoThreadFromOthers) {
  // cpp-httplib's own pool has 8 threads: 40 connections that keep sending
  // a header byte now and then would hold them all, and the GET below would
  // wait behind them until its client gave up.
  ConnectionLimits limits;
  limits.header_timeout = std::chrono::seconds(60);
  Served s(limits);
  std::vector<UniqueFd> slow;
  for (int i = 0; i < 40; ++i) slow.push_back(Connect(s.port(), "127.0.0.2"));
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    const std::string start = "GET /ok HTTP/1.1\r\nX-Slow: ";
    for (size_t i = 0; !done; ++i) {
      for (auto& fd : slow) send(fd.get(), i < start.size() ? &start[i] : "a", 1, MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  EXPECT_EQ(s.Get(), 200);
  EXPECT_EQ(s.Get(), 200);
  done = true;
  trickle.join();
}

TEST(HttpServerTest, DownloadsThatAreNotReadTakeNoThreadFromOthers) {
  // Binary packages run to gigabytes; a client that stops reading one holds
  // its connection's writes for as long as the write timeout allows.
  ConnectionLimits limits;
  Served s(limits);
  s.server().set_write_timeout(std::chrono::seconds(60));
  // Shared with the connection threads: they may still write when the test
  // returns, until `s` stops them.
  auto chunk = std::make_shared<const std::string>(1 << 20, 'x');
  s.server().Get("/big", [chunk](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(size_t{256} << 20, "application/octet-stream",
                             [chunk](size_t offset, size_t length, httplib::DataSink& sink) {
                               (void)offset;
                               return sink.write(chunk->data(), std::min(length, chunk->size()));
                             });
  });
  std::vector<UniqueFd> stalled;
  for (int i = 0; i < 20; ++i) {
    stalled.push_back(Connect(s.port(), "127.0.0.2"));
    const std::string get = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_EQ(send(stalled.back().get(), get.data(), get.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(get.size()));
  }
  EXPECT_EQ(s.Get(), 200);
  EXPECT_EQ(s.Get(), 200);
}

TEST(HttpServerTest, OnePeerGetsAtMostItsCap) {
  ConnectionLimits limits;
  limits.max_connections_per_peer = 2;
  limits.header_timeout = std::chrono::seconds(60);
  Served s(limits);
  UniqueFd a = Connect(s.port(), "127.0.0.2");
  UniqueFd b = Connect(s.port(), "127.0.0.2");
  // Both are admitted once one of them is answered.
  EXPECT_EQ(Request(a.get(), "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 200 OK");
  EXPECT_EQ(Request(b.get(), "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 200 OK");
  UniqueFd c = Connect(s.port(), "127.0.0.2");
  EXPECT_TRUE(ClosedByServer(c.get()));
  EXPECT_EQ(s.server().Counts().refused_peer_cap, 1u);
  // Another address is served meanwhile.
  EXPECT_EQ(s.Get(), 200);
  // A closed connection gives its place back.
  a.Reset();
  int status = 0;
  for (int i = 0; i < 1000 && status != 200; ++i) {
    UniqueFd d = Connect(s.port(), "127.0.0.2");
    status = Request(d.get(), "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n") == "HTTP/1.1 200 OK" ? 200 : 0;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(status, 200);
}

TEST(HttpServerTest, BeyondMaxConnectionsNewOnesAreRefusedAtOnce) {
  ConnectionLimits limits;
  limits.max_connections = 3;
  limits.header_timeout = std::chrono::seconds(60);
  Served s(limits);
  std::vector<UniqueFd> held;
  for (const char* from : {"127.0.0.2", "127.0.0.3", "127.0.0.4"}) {
    held.push_back(Connect(s.port(), from));
    EXPECT_EQ(Request(held.back().get(), "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"),
              "HTTP/1.1 200 OK");
  }
  UniqueFd over = Connect(s.port(), "127.0.0.5");
  EXPECT_TRUE(ClosedByServer(over.get()));
  EXPECT_EQ(s.server().Counts().refused_server_cap, 1u);
}

TEST(HttpServerTest, ShutdownEndsConnectionsThatWouldWaitLong) {
  ConnectionLimits limits;
  limits.header_timeout = std::chrono::minutes(10);
  auto s = std::make_unique<Served>(limits);
  UniqueFd idle = Connect(s->port());
  UniqueFd kept = Connect(s->port());
  EXPECT_EQ(Request(kept.get(), "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 200 OK");
  s.reset();  // returns only once every connection's thread has ended
  EXPECT_TRUE(ClosedByServer(idle.get()));
  EXPECT_TRUE(ClosedByServer(kept.get()));
}

}  // namespace
}  // namespace swarm::controller

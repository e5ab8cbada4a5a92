#include "controller/binhost/http.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <string>
#include <thread>

#include "base/sha256.h"
#include "controller/binhost/binhost.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

using ::swarm::testing::TempDir;
using ::testing::HasSubstr;

constexpr char kServedPkg[] = "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar";

// A binhost served on 127.0.0.1 at a port the kernel picks.
class BinhostHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Binhost>> b = Binhost::Open(tmp_.File("binhost"));
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    binhost_ = std::move(b).value();
    MountBinhost(server_, *binhost_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost and join() would hang.
    while (!server_.is_running()) std::this_thread::yield();
  }

  void TearDown() override {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  void Publish(const std::string& id, const std::string& path, const std::string& bytes) {
    Result<std::unique_ptr<BinhostUpload>> up = binhost_->BeginUpload(id, path);
    ASSERT_TRUE(up.ok()) << up.status().ToString();
    ASSERT_TRUE((*up)->Write(bytes.data(), bytes.size()).ok());
    Result<api::BinaryPackageRef> staged = (*up)->Finish(Sha256Hex(bytes));
    ASSERT_TRUE(staged.ok()) << staged.status().ToString();
    ASSERT_TRUE(binhost_->Publish(id, *staged).ok());
  }

  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", port_);
    return client.Get(path.c_str(), headers);
  }

  TempDir tmp_;
  std::unique_ptr<Binhost> binhost_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(BinhostHttpTest, ServesAPublishedPackageByteForByte) {
  // Several read chunks long, every byte value present.
  std::string bytes(1024 * 1024 + 123, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7 + i / 256) % 256);
  Publish("a1", kServedPkg, bytes);

  httplib::Result res = Get(std::string("/binhost/") + kServedPkg);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/octet-stream");
  EXPECT_EQ(res->get_header_value("Content-Length"), std::to_string(bytes.size()));
  EXPECT_TRUE(res->body == bytes) << "body differs from the published file";

  httplib::Result range =
      Get(std::string("/binhost/") + kServedPkg, {{"Range", "bytes=1000-1999"}});
  ASSERT_TRUE(range);
  EXPECT_EQ(range->status, 206);
  EXPECT_TRUE(range->body == bytes.substr(1000, 1000));

  httplib::Client client("127.0.0.1", port_);
  httplib::Result head = client.Head((std::string("/binhost/") + kServedPkg).c_str());
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->get_header_value("Content-Length"), std::to_string(bytes.size()));
  EXPECT_TRUE(head->body.empty());
}

TEST_F(BinhostHttpTest, RefusesAnythingButPublishedFiles) {
  Publish("a1", kServedPkg, "published");
  Result<std::unique_ptr<BinhostUpload>> up = binhost_->BeginUpload("a2", kServedPkg);
  ASSERT_TRUE(up.ok());
  ASSERT_TRUE((*up)->Write("staged", 6).ok());
  ASSERT_TRUE((*up)->Finish(Sha256Hex("staged")).ok());
  tmp_.Write("binhost/dev-libs/.hidden", "hidden");
  tmp_.Write("secret", "outside the binhost");

  for (const char* path : {
           "/binhost",
           "/binhost/",
           "/binhost/Packages",
           "/binhost/.staging/a2",
           "/binhost/.staging/",
           "/binhost/%2estaging/a2",
           "/binhost/../secret",
           "/binhost/%2e%2e/secret",
           "/binhost/dev-libs/openssl/..%2f..%2f..%2fsecret",
           "/binhost/dev-libs",
           "/binhost/dev-libs/",
           "/binhost/dev-libs/.hidden",
           "/binhost//dev-libs/openssl/openssl-3.3.3-1.gpkg.tar",
           "/binhost/dev-libs/openssl/openssl-3.3.3-1.gpkg.tar%00",
           "/binhostdev-libs/openssl/openssl-3.3.3-1.gpkg.tar",
       }) {
    httplib::Result res = Get(path);
    ASSERT_TRUE(res) << path << ": " << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 404) << path;
    if (res->status == 404 && res->has_header("Content-Type")) {
      EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain") << path;
    }
    EXPECT_THAT(res->body, ::testing::Not(HasSubstr("staged"))) << path;
    EXPECT_THAT(res->body, ::testing::Not(HasSubstr("outside the binhost"))) << path;
  }
}

TEST_F(BinhostHttpTest, ServesPackagesOnceItExistsAndEmptyFiles) {
  EXPECT_EQ(Get("/binhost/Packages")->status, 404);
  tmp_.Write("binhost/Packages", "PACKAGES: 0\n");
  httplib::Result index = Get("/binhost/Packages");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "PACKAGES: 0\n");

  tmp_.Write("binhost/empty", "");
  httplib::Result empty = Get("/binhost/empty");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_EQ(empty->body, "");
  EXPECT_EQ(empty->get_header_value("Content-Type"), "application/octet-stream");
}

}  // namespace
}  // namespace swarm::controller

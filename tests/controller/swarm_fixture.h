#pragma once

// What the SwarmController tests on a FakeClock share (queue/dispatch_test.cc,
// core/releases_test.cc): a binhost and a store in a temp dir, the controller
// opened (again, for a restart) on them, and a binary package uploaded
// through the binhost's real path.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "base/sha256.h"
#include "controller/binhost/binhost.h"
#include "controller/core/swarm_controller.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {

class SwarmControllerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto binhost = Binhost::Open(dir_.File("binhost"));
    ASSERT_TRUE(binhost.ok()) << binhost.status().ToString();
    binhost_ = std::move(binhost.value());
    OpenController();
  }

  // Opens the controller on the store and binhost (a restart when open).
  void OpenController() {
    controller_.reset();
    store_.reset();
    auto store = Store::Open(dir_.File("state.db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(store.value());
    controller_ = std::make_unique<SwarmController>(
        store_.get(), &clock_, BuildOutputs{binhost_.get(), dir_.File("logs")});
    ASSERT_TRUE(controller_->Start().ok());
  }

  // Uploads `bytes` as the binary package of assignment `a`
  // (cat/pn/pf-1.gpkg.tar); returns the ref its result claims.
  api::BinaryPackageRef Upload(const api::BuildAssignment& a, const std::string& bytes) {
    const std::string pn = a.package.substr(a.package.find('/') + 1);
    const std::string path = a.package.substr(0, a.package.find('/')) + "/" +
                             pn.substr(0, pn.rfind('-')) + "/" + pn + "-1.gpkg.tar";
    auto up = binhost_->BeginUpload(a.id, path);
    EXPECT_TRUE(up.ok()) << up.status().ToString();
    if (!up.ok()) return {};
    EXPECT_TRUE((*up)->Write(bytes.data(), bytes.size()).ok());
    auto ref = (*up)->Finish(Sha256Hex(bytes));
    EXPECT_TRUE(ref.ok()) << ref.status().ToString();
    return ref.ok() ? *ref : api::BinaryPackageRef{};
  }

  ::swarm::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Binhost> binhost_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SwarmController> controller_;
};

}  // namespace swarm::controller

// The dashboard in a real browser (headless Chromium, through chromedriver):
// a person opens the link the demo prints, before the swarm exists, and
// watches it build: the drones, a package going from Needed to Complete, a
// grounded drone in red; and what the page says agrees with the API.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "tests/integration/browser.h"
#include "tests/integration/dispatch_fixture.h"

namespace swarm::testing {
namespace {

using nlohmann::json;

class DashboardTest : public DispatchTest {
 protected:
  // A JS expression's value in the page ("" when it is not a string).
  std::string Text(const std::string& expression) {
    json v = browser_->Run("return " + expression + ";");
    return v.is_string() ? v.get<std::string>() : "";
  }

  std::unique_ptr<Browser> browser_;
};

TEST_F(DashboardTest, APersonWatchesTheQueueBuildAndSeesAGroundedDroneInRed) {
  // The controller asks for client certificates, as a deployment's does; the
  // browser has none, and its viewer token needs none.
  std::string why;
  browser_ = Browser::Start(&why);
  ASSERT_TRUE(browser_) << why;

  // Opened before the swarm is applied: all that follows reaches the page live.
  before_apply_ = [&] {
    ASSERT_TRUE(browser_->Navigate(h_.url() + "/#token=" + h_.viewer_token()));
    ASSERT_TRUE(WaitFor([&] {
      return Text("document.getElementById('live').textContent").rfind("live", 0) == 0;
    })) << Text("document.body.innerText");
    // The token left the address bar (and a fragment never goes to the server).
    EXPECT_EQ(Text("location.href"), h_.url() + "/");
  };
  const std::string no_space = ReadFile(SourcePath("hack/fake-portage/samples/no-space.txt"));
  std::map<std::string, std::string> slow = {{"FAKE_EMERGE_BUILD_SECONDS", "0.3"}};
  Start({{"drone-izar", "1", "32Gi", {{"FAKE_EMERGE_FAIL_ALL", no_space}}},
         {"drone-tarn", "1", "32Gi", slow},
         {"drone-vega", "1", "32Gi", slow}},
        dag_, "    groundAfterFailures: 2\n");

  // Every drone of the roster, by name.
  ASSERT_TRUE(WaitFor([&] {
    return Text(
               "[...document.querySelectorAll('#drones tbody tr')]"
               ".map(r => r.dataset.drone).join(',')") ==
           "desktop,drone-izar,drone-tarn,drone-vega";
  })) << Text("document.body.innerText");

  // A package seen Needed, then Complete, in the same page.
  std::string package;
  ASSERT_TRUE(WaitFor([&] {
    package = Text(
        "(document.querySelector('#packages tr[data-phase=Needed]') || {dataset: {}})"
        ".dataset.package || ''");
    return !package.empty();
  })) << Text("document.body.innerText");
  ASSERT_TRUE(WaitFor([&] {
    const std::string row =
        "document.querySelector('#packages tr[data-package=\"" + package + "\"]')";
    const std::string bar = "document.querySelector('#timeline .build[data-package=\"" + package +
                            "\"]:not(.running)')";
    return Text("(" + row + " || {dataset: {}}).dataset.phase || ''") == "Complete" ||
           Text(bar + " ? 'done' : ''") == "done";
  })) << package
      << "\n"
      << Text("document.body.innerText");

  // The drone that fails every build, grounded, in red.
  ASSERT_TRUE(WaitFor([&] {
    return Text(
               "(document.querySelector('tr.drone.grounded[data-drone=\"drone-izar\"] td') || "
               "{}).textContent || ''") == "drone-izar";
  })) << Text("document.body.innerText");
  EXPECT_EQ(Text("getComputedStyle(document.querySelector('tr.drone.grounded td')).color"),
            "rgb(207, 34, 46)");
  // The picture in docs/operations.md: the whole page, mid-build.
  if (const char* shot = std::getenv("SWARM_DASHBOARD_SCREENSHOT")) {
    browser_->Resize(1280, 1900);
    std::ofstream(shot, std::ios::binary) << browser_->Screenshot();
  }

  // Once the queue is built, what the page says is what the API says.
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  const json swarm = h_.GetJson("/api/v1/swarm");
  const json progress = swarm["status"]["progress"];
  const int cores = progress["cores"];
  const std::string idle =
      std::to_string(cores) + " of " + std::to_string(cores) + " cores idle (100%)";
  ASSERT_TRUE(WaitFor([&] {
    return Text("document.getElementById('queue-text').textContent") ==
           "30/30 complete · ETA done · " + idle;
  })) << Text("document.getElementById('queue-text').textContent")
      << " / API: " << progress;
  EXPECT_EQ(cores, 2) << "the grounded drone's core counts for nothing";
  EXPECT_EQ(Text("document.querySelector('#queue-bar [data-phase=Complete]').title"),
            "30 Complete");
  const json drones = h_.GetJson("/api/v1/drones");
  for (const auto& d : drones["items"]) {
    const std::string name = d["metadata"]["name"];
    std::string words = h_.ReadyStatus(name) == "True" ? "Ready" : "Unknown";
    if (h_.DroneCondition(name, "Grounded").rfind("True/", 0) == 0) words += ", Grounded";
    EXPECT_EQ(Text("document.querySelector('tr.drone[data-drone=\"" + name +
                   "\"] td:nth-child(2)').textContent"),
              words)
        << name;
  }
  // The events the API lists last are the page's first rows.
  const json events = h_.GetJson("/api/v1/events?limit=3")["items"];
  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(WaitFor([&] {
    return Text("document.querySelector('#events tbody tr td:nth-child(3)').textContent") ==
           events[2]["reason"].get<std::string>();
  })) << Text("document.getElementById('events').innerText");
  // Read only: nothing on the page sends anything but GET.
  EXPECT_EQ(
      Text("String(document.querySelectorAll('form[method=post], button[formmethod]').length)"),
      "0");
}

TEST(DashboardFilesTest, ThePageIsServedWithoutATokenAndLocksItselfDown) {
  SwarmHarness h;
  ASSERT_TRUE(h.StartController());
  auto client = h.Client("", "");
  ASSERT_TRUE(client);
  auto page = client->Get("/");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("<script src=\"/dashboard.js\""), std::string::npos);
  for (const char* file : {"/dashboard.js", "/dashboard.css", "/index.html"}) {
    auto r = client->Get(file);
    ASSERT_TRUE(r.ok()) << file;
    EXPECT_EQ(r->status, 200) << file;
    EXPECT_FALSE(r->body.empty()) << file;
  }
  // The data still wants a token.
  auto data = client->Get("/api/v1/drones");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->status, 401);
  // Without a client certificate a viewer's token reads; an admin's does not.
  auto viewer = h.Client(h.viewer_token(), "");
  auto read = viewer->Get("/api/v1/drones");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status, 200) << read->body;
  auto admin = h.Client(h.admin_token(), "");
  auto refused = admin->Get("/api/v1/drones");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 401) << refused->body;
}

}  // namespace
}  // namespace swarm::testing

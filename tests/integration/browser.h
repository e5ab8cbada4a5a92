#pragma once

// A headless Chromium driven by chromedriver (Debian's chromium and
// chromium-driver) over WebDriver's HTTP protocol on 127.0.0.1: the page is
// loaded and read as a person's browser would show it.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/http_client.h"
#include "tests/integration/harness.h"
#include "tests/support/temp_dir.h"

namespace swarm::testing {

class Browser {
 public:
  // Starts chromedriver and a browser session (1280x1000, certificate
  // errors ignored: the tests' CA is not the system's); null, with `*why`,
  // when either fails.
  static std::unique_ptr<Browser> Start(std::string* why);
  ~Browser();

  bool Navigate(const std::string& url);
  // Runs `script` (a function body; `return` gives the value) in the page.
  // Null json when it fails.
  nlohmann::json Run(const std::string& script);
  // Makes the window `width` by `height` pixels.
  bool Resize(int width, int height);
  // The page as a PNG.
  std::string Screenshot();

 private:
  Browser() = default;
  nlohmann::json Call(const std::string& method, const std::string& path,
                      const nlohmann::json& body, std::string* why = nullptr);

  TempDir dir_;
  std::unique_ptr<Process> driver_;
  std::unique_ptr<HttpClient> client_;
  std::string session_;
};

}  // namespace swarm::testing

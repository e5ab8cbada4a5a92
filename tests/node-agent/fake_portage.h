#pragma once

// Where the fake portage is, for agent tests that run its scripts
// (hack/fake-portage: make-tree.sh, emerge).

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/command_runner.h"

namespace swarm::agent::testing {

// <source>/hack/fake-portage/<file>.
inline std::string FakePortagePath(const std::string& file) {
  return (std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "hack" /
          "fake-portage" / file)
      .string();
}

// Runs `argv` (the fake's scripts) with `env` and a minute's timeout;
// an empty result, and a test failure, when it cannot be run.
inline CommandResult RunFakePortageCommand(CommandRunner& runner, std::vector<std::string> argv,
                                           std::map<std::string, std::string> env = {}) {
  CommandSpec spec;
  spec.argv = std::move(argv);
  spec.env = std::move(env);
  spec.timeout = std::chrono::seconds(60);
  auto r = runner.Run(spec);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : CommandResult{};
}

}  // namespace swarm::agent::testing

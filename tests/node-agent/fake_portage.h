#pragma once

// Where the fake portage is, for agent tests that run its scripts
// (hack/fake-portage: make-tree.sh, emerge).

#include <filesystem>
#include <string>

namespace swarm::agent::testing {

// <source>/hack/fake-portage/<file>.
inline std::string FakePortagePath(const std::string& file) {
  return (std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "hack" /
          "fake-portage" / file)
      .string();
}

}  // namespace swarm::agent::testing

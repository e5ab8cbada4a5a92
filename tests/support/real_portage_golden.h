#pragma once

// The captures of real portage in tests/golden/real-portage/ (made by
// hack/real-portage/regen-golden.sh; its README says what each file is).

#include <filesystem>
#include <string>

#include "tests/support/temp_dir.h"

namespace swarm::testing {

// <source>/tests/golden/real-portage/<file>.
inline std::string RealPortageGoldenPath(const std::string& file) {
  return (std::filesystem::path(__FILE__).parent_path().parent_path() / "golden" / "real-portage" /
          file)
      .string();
}

// The whole file; a test failure in the caller shows when it is empty, so
// a missing capture never passes as empty output.
inline std::string ReadRealPortageGolden(const std::string& file) {
  return ReadFile(RealPortageGoldenPath(file));
}

}  // namespace swarm::testing

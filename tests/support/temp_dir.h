#pragma once

// A temporary directory removed with everything in it when the object dies.

#include <ctime>
#include <string>

namespace swarm::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string File(const std::string& name) const;
  // Writes `content` to File(name), creating parent directories; returns the path.
  std::string Write(const std::string& name, const std::string& content) const;
  // As Write, readable by its owner only (mode 600), as programs want secrets.
  std::string WriteSecret(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// Reads a whole file; empty when it cannot be read.
std::string ReadFile(const std::string& path);

// Sets a file's access and modification times to `seconds` since the epoch, so
// that "newest" does not depend on how fast a test runs. A test failure when it
// cannot.
void SetMtime(const std::string& path, time_t seconds);

}  // namespace swarm::testing

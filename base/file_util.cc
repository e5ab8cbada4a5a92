#include "base/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

namespace swarm {

namespace {

Status Errno(const std::string& what, int err) {
  return Unavailable(what + ": " + std::strerror(err));
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view content,
                           const std::string& tmp_dir) {
  std::string tmp_name =
      tmp_dir.empty() ? path + ".tmp.XXXXXX"
                      : tmp_dir + "/" + std::filesystem::path(path).filename().string() +
                            ".tmp.XXXXXX";
  std::vector<char> tmp(tmp_name.begin(), tmp_name.end());
  tmp.push_back('\0');
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) {
    return Errno("cannot create a temporary file " + tmp_name + " for " + path, errno);
  }
  const std::string tmp_path(tmp.data());
  auto fail = [&](const std::string& what) {
    Status s = Errno(what, errno);
    ::close(fd);
    ::unlink(tmp_path.c_str());
    return s;
  };
  // mkostemp creates mode 0600; these files are world-readable (reading the
  // umask instead would race with other threads).
  if (::fchmod(fd, 0644) != 0) return fail("chmod " + tmp_path);
  if (!WriteAll(fd, content)) return fail("write " + tmp_path);
  // Without the fsync a crash after the rename can leave an empty file, which
  // would read as "needs deploy" at best and as garbage at worst.
  if (::fsync(fd) != 0) return fail("fsync " + tmp_path);
  if (::close(fd) != 0) {
    Status s = Errno("close " + tmp_path, errno);
    ::unlink(tmp_path.c_str());
    return s;
  }
  if (::rename(tmp_path.c_str(), path.c_str()) != 0) {
    Status s = Errno("rename " + tmp_path + " to " + path, errno);
    ::unlink(tmp_path.c_str());
    return s;
  }
  // The rename is durable only once the directory entry is.
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

Status CheckSecretFileMode(const std::string& path, const std::string& what) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Errno("cannot read " + what + " " + path, errno);
  if ((st.st_mode & (S_IROTH | S_IWOTH)) == 0) return Status::Ok();
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return InvalidArgument(what + " " + path + " is open to every user (mode " + mode +
                         "); make it private: chmod 600 " + path);
}

Status MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Unavailable("cannot create directory " + path + ": " + ec.message());
  return Status::Ok();
}

Result<UniqueFd> OpenNoFollow(const std::string& path, int flags, mode_t mode) {
  UniqueFd fd(::open(path.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode));
  if (fd.valid()) return fd;
  const int err = errno;
  if (err == ENOENT) return NotFound("\"" + path + "\": no such file");
  struct stat st {};
  if (err == ELOOP && ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    return Unavailable("\"" + path + "\" is a symbolic link; refusing to follow it");
  }
  return Errno("\"" + path + "\"", err);
}

}  // namespace swarm

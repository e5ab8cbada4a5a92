#include "controller/binhost/http.h"

#include <fcntl.h>
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "controller/binhost/binhost.h"
#include "controller/binhost/releases.h"

namespace swarm::controller {
namespace {

constexpr char kPrefix[] = "/binhost";
constexpr size_t kChunkBytes = 256 * 1024;

// One response's open file: the descriptor keeps the inode that was resolved,
// so a package republished (renamed over) meanwhile is still served whole.
struct OpenFile {
  int fd = -1;
  std::vector<char> buf;
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
};

void Reply(httplib::Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_content(text + "\n", "text/plain");
}

// Streams the file at `path` (resolved for `rel`), or says why not.
void ServeFile(const Result<std::string>& path, const std::string& rel,
               const httplib::Request& req, httplib::Response& res) {
  if (!path.ok()) {
    // The reason may name the server's directories: logged, not sent.
    spdlog::debug("GET {}: {}", req.path, path.status().message());
    return Reply(res, 404, "no such file in the binhost: " + req.path);
  }

  auto file = std::make_shared<OpenFile>();
  file->fd = ::open(path->c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (file->fd < 0 || ::fstat(file->fd, &st) != 0) {
    const int err = errno;
    return Reply(res, err == ENOENT ? 404 : 500,
                 "cannot open " + rel + " in the binhost: " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) return Reply(res, 404, "not served: " + rel + " is not a regular file");
  if (st.st_size == 0) {
    res.set_content("", "application/octet-stream");
    return;
  }
  file->buf.resize(kChunkBytes);
  res.set_content_provider(static_cast<size_t>(st.st_size), "application/octet-stream",
                           [file](size_t offset, size_t length, httplib::DataSink& sink) {
                             const size_t want = std::min(length, file->buf.size());
                             ssize_t n;
                             do {
                               n = ::pread(file->fd, file->buf.data(), want,
                                           static_cast<off_t>(offset));
                             } while (n < 0 && errno == EINTR);
                             // A read error or a file shorter than announced: cut the response
                             // short, so the client sees a truncated body rather than a wrong one.
                             if (n <= 0) return false;
                             return sink.write(file->buf.data(), static_cast<size_t>(n));
                           });
}

void Serve(Binhost& binhost, const httplib::Request& req, httplib::Response& res) {
  // req.path is URL-decoded: "%2e%2e" has become ".." and is refused below.
  std::string rel = req.path.substr(sizeof(kPrefix) - 1);
  if (!rel.empty() && rel[0] == '/') rel.erase(0, 1);
  ServeFile(binhost.ResolveForServing(rel), rel, req, res);
}

// Whether `host` (a Host header) may go into an index as it is: a name or
// address and an optional port, nothing that could end a line or a URL's
// authority.
bool PlainHost(const std::string& host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

// GET /binhost/current/<rel>: the promoted release, read once per request.
void ServeCurrent(Binhost& binhost, bool tls, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string rel = req.matches[1];
  const auto [release, timestamp] = binhost.Current();
  if (release.empty()) return Reply(res, 404, "no release is promoted yet: " + req.path);
  if (rel != "Packages") {
    return ServeFile(binhost.ResolveReleaseFile(release, rel), rel, req, res);
  }
  // The index names the release's own address for its files, so what a
  // client fetches after it stays that release's even across a promotion.
  const std::string host = req.get_header_value("Host");
  const std::string base =
      PlainHost(host) ? std::string(tls ? "https://" : "http://") + host + kPrefix + "/releases/" +
                            release
                      : "";
  Result<std::string> index = CurrentIndex(binhost.dir(), release, timestamp, base);
  if (!index.ok()) {
    spdlog::warn("GET {}: {}", req.path, index.status().message());
    return Reply(res, 404, "no index for release " + release);
  }
  res.set_header("X-Build-Swarm-Release", release);
  res.set_content(std::move(index).value(), "text/plain; charset=utf-8");
}

}  // namespace

void MountBinhost(httplib::Server& server, Binhost& binhost, bool tls) {
  // Before the live tree's route: the first that matches serves.
  server.Get(R"(/binhost/current/(.+))",
             [&binhost, tls](const httplib::Request& req, httplib::Response& res) {
               ServeCurrent(binhost, tls, req, res);
             });
  server.Get(R"(/binhost/releases/([^/]+)/(.+))",
             [&binhost](const httplib::Request& req, httplib::Response& res) {
               const std::string rel = req.matches[2];
               ServeFile(binhost.ResolveReleaseFile(req.matches[1], rel), rel, req, res);
             });
  server.Get(R"(/binhost(/.*)?)", [&binhost](const httplib::Request& req, httplib::Response& res) {
    Serve(binhost, req, res);
  });
}

}  // namespace swarm::controller

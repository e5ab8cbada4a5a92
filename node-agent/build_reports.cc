#include "node-agent/build_reports.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <utility>

#include "base/file_util.h"
#include "base/sha256.h"
#include "base/strings.h"
#include "node-agent/heartbeat.h"

namespace swarm::agent {
namespace {

bool IsSuccess(int status) { return status >= 200 && status < 300; }

// The controller's "never" for a build report: the assignment is no longer
// this drone's (409), an upload it refused and requeued (422), or a request
// that cannot succeed unchanged.
bool IsFinalReportRefusal(int status) {
  return status == 400 || status == 403 || status == 404 || status == 409 || status == 422;
}

}  // namespace

const char* ReportState(const FinishedBuild& build) {
  return build.result.outcome == api::kBuildSucceeded ? api::kBuildUploading : api::kActionRunning;
}

std::string BuildReportPath(const std::string& drone_name, const std::string& assignment) {
  return "/api/v1/drones/" + drone_name + "/builds/" + assignment;
}

Result<std::string> ReadFileTail(const std::string& path, size_t max_bytes) {
  // A link planted at a log path would otherwise send another file to the
  // controller.
  auto fd = OpenNoFollow(path, O_RDONLY);
  if (!fd.ok()) return fd.status();
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Unavailable("cannot read \"" + path + "\": not a regular file");
  }
  const off_t size = st.st_size;
  const off_t from =
      size > static_cast<off_t>(max_bytes) ? size - static_cast<off_t>(max_bytes) : 0;
  std::string out(static_cast<size_t>(size - from), '\0');
  size_t got = 0;
  while (got < out.size()) {
    const ssize_t n =
        ::pread(fd->get(), out.data() + got, out.size() - got, from + static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Unavailable("cannot read \"" + path + "\": " + ErrnoText(errno));
    if (n == 0) break;  // it shrank meanwhile
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return out;
}

BuildReportOutbox::BuildReportOutbox(Clock* clock, std::function<double()> uniform01)
    : clock_(clock), uniform01_(std::move(uniform01)) {
  if (!uniform01_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    uniform01_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

void BuildReportOutbox::Add(FinishedBuild build) {
  Pending p;
  p.build = std::move(build);
  p.due = clock_->SteadyNow();
  std::lock_guard<std::mutex> l(mu_);
  pending_.push_back(std::move(p));
}

size_t BuildReportOutbox::Deliver(ControllerTransport& transport, const std::string& drone_name,
                                  bool ignore_backoff, size_t* reported,
                                  const std::function<bool()>& stop,
                                  const std::function<void()>& each_reported) {
  std::lock_guard<std::mutex> one(deliver_mu_);
  const SteadyTime now = clock_->SteadyNow();
  std::vector<std::string> due;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const Pending& p : pending_) {
      if (ignore_backoff || now >= p.due) due.push_back(p.build.result.assignment);
    }
  }
  auto find = [this](const std::string& id) {
    return std::find_if(pending_.begin(), pending_.end(),
                        [&](const Pending& p) { return p.build.result.assignment == id; });
  };
  for (const std::string& id : due) {
    if (stop && stop()) break;
    Pending p;
    {
      std::lock_guard<std::mutex> l(mu_);
      auto it = find(id);
      if (it == pending_.end()) continue;  // dropped by Retain()
      p = *it;
    }
    // Each step unlocked (an upload may take minutes), and only while the
    // report is still held.
    Outcome o = Outcome::kNext;
    bool held = true;
    while (o == Outcome::kNext && p.step != Step::kDone && held && !(stop && stop())) {
      o = Send(p, transport, drone_name);
      std::lock_guard<std::mutex> l(mu_);
      held = find(id) != pending_.end();
    }
    std::unique_lock<std::mutex> l(mu_);
    auto it = find(id);
    if (it == pending_.end()) continue;  // dropped while it was sent
    if ((o == Outcome::kNext && p.step == Step::kDone) || o == Outcome::kDropped) {
      pending_.erase(it);
      l.unlock();
      if (o == Outcome::kNext) {
        spdlog::info("build {} ({}) reported: {}", id, p.build.result.package,
                     p.build.result.outcome);
        if (reported != nullptr) ++*reported;
        // Told at once, not after the rest of the backlog: a slot held back
        // past kMaxUploading may be free now.
        if (each_reported) each_reported();
      }
      continue;
    }
    if (o == Outcome::kNext) {  // stopped between steps: the next call goes on
      *it = std::move(p);
      break;
    }
    // From the failure, not from the start of the call: a long upload that
    // failed is not due again at once.
    p.due = clock_->SteadyNow() + BackoffDelay(p.failures++, uniform01_());
    *it = std::move(p);
    if (o == Outcome::kUnreachable) break;
  }
  std::lock_guard<std::mutex> l(mu_);
  return pending_.size();
}

void BuildReportOutbox::Retain(const std::set<std::string>& current) {
  std::lock_guard<std::mutex> l(mu_);
  std::erase_if(pending_, [&](const Pending& p) {
    if (current.count(p.build.result.assignment)) return false;
    spdlog::warn("build {} ({}) taken back by the controller: dropping its report",
                 p.build.result.assignment, p.build.result.package);
    return true;
  });
}

std::vector<api::BuildProgress> BuildReportOutbox::Progress() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<api::BuildProgress> out;
  size_t uploading = 0;
  for (const auto& p : pending_) {
    const char* state = ReportState(p.build);
    if (state == api::kBuildUploading && ++uploading > kMaxUploading) state = api::kActionRunning;
    out.push_back({p.build.result.assignment, p.build.result.package, state});
  }
  return out;
}

BuildReportOutbox::Outcome BuildReportOutbox::Send(Pending& p, ControllerTransport& transport,
                                                   const std::string& drone_name) {
  const std::string path = BuildReportPath(drone_name, p.build.result.assignment);
  switch (p.step) {
    case Step::kLog:
      return SendLog(p, transport, path + "/log");
    case Step::kBinpkg:
      return SendBinpkg(p, transport, path + "/binpkg");
    case Step::kResult:
      return SendResult(p, transport, path);
    case Step::kDone:
      break;
  }
  return Outcome::kNext;
}

BuildReportOutbox::Outcome BuildReportOutbox::SendLog(Pending& p, ControllerTransport& transport,
                                                      const std::string& path) {
  const FinishedBuild& b = p.build;
  // A returned build was cut short: its partial log is nobody's last log.
  if (b.log_path.empty() || b.result.outcome == api::kBuildReturned) {
    p.step = Step::kBinpkg;
    return Outcome::kNext;
  }
  auto log = ReadFileTail(b.log_path, kMaxLogUploadBytes);
  if (!log.ok()) {
    spdlog::warn("build {}: {}; reporting it without its log", b.result.assignment,
                 log.status().message());
    p.step = Step::kBinpkg;
    return Outcome::kNext;
  }
  auto res = transport.Put(path, *log, "text/plain", {});
  if (res.ok() && !IsSuccess(res->status) && res->status >= 400 && res->status < 500 &&
      res->status != 409 && res->status != 422) {
    // The log is an extra: a controller that will not take it still gets the result.
    spdlog::warn("build {}: log refused: {}; reporting it without its log", b.result.assignment,
                 DescribeHttpError(*res));
    p.step = Step::kBinpkg;
    return Outcome::kNext;
  }
  Outcome o = Judge(p, "log upload", res);
  if (o == Outcome::kNext) p.step = Step::kBinpkg;
  return o;
}

BuildReportOutbox::Outcome BuildReportOutbox::SendBinpkg(Pending& p, ControllerTransport& transport,
                                                         const std::string& path) {
  api::BuildResult& r = p.build.result;
  if (r.outcome != api::kBuildSucceeded || !r.binpkg || p.build.binpkg_path.empty()) {
    p.step = Step::kResult;
    return Outcome::kNext;
  }
  if (!std::ifstream(p.build.binpkg_path, std::ios::binary)) {
    // Gone from PKGDIR since the build (cleaned by hand, or by another
    // emerge): nothing to publish, and not the package's fault.
    spdlog::warn("build {}: the binary package {} is gone; returning the build", r.assignment,
                 p.build.binpkg_path);
    r.outcome = api::kBuildReturned;
    r.message = "the binary package " + r.binpkg->path + " vanished from PKGDIR before its upload";
    r.binpkg.reset();
    p.step = Step::kResult;
    return Outcome::kNext;
  }
  // Digested here, on the report thread, not when the build ended: the
  // controller checks the upload against it.
  if (r.binpkg->sha256.empty()) {
    Result<std::string> digest = Sha256File(p.build.binpkg_path);
    std::error_code ec;
    const auto size = std::filesystem::file_size(p.build.binpkg_path, ec);
    if (!digest.ok() || ec) {
      spdlog::warn("build {}: cannot digest {}: {}; retrying", r.assignment, p.build.binpkg_path,
                   digest.ok() ? ec.message() : digest.status().message());
      return Outcome::kRetry;
    }
    r.binpkg->sha256 = std::move(digest).value();
    r.binpkg->size = static_cast<int64_t>(size);
  }
  HttpHeaders headers = {{"X-Binpkg-Path", r.binpkg->path}, {"X-Binpkg-Sha256", r.binpkg->sha256}};
  Outcome o =
      Judge(p, "binary package upload", transport.PutFile(path, p.build.binpkg_path, headers));
  if (o == Outcome::kNext) p.step = Step::kResult;
  return o;
}

BuildReportOutbox::Outcome BuildReportOutbox::SendResult(Pending& p, ControllerTransport& transport,
                                                         const std::string& path) {
  // Build output need not be UTF-8: replace what is not, rather than throw.
  const std::string body = api::BuildResultToJson(p.build.result)
                               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  Result<HttpResponse> res = transport.Post(path, body);
  Outcome o = Judge(p, "result", res);
  // The reply's assignments are not offered from here: the agent's next
  // heartbeat, sent at once, gets them in order with every other change.
  if (o == Outcome::kNext) p.step = Step::kDone;
  return o;
}

BuildReportOutbox::Outcome BuildReportOutbox::Judge(const Pending& p, const char* what,
                                                    const Result<HttpResponse>& res) {
  const std::string& id = p.build.result.assignment;
  if (!res.ok()) {
    spdlog::debug("build {}: {}: {}; retrying", id, what, res.status().message());
    return Outcome::kUnreachable;
  }
  if (IsSuccess(res->status)) return Outcome::kNext;
  if (IsFinalReportRefusal(res->status)) {
    spdlog::warn("build {} ({}): {} refused, dropping its report: {}", id, p.build.result.package,
                 what, DescribeHttpError(*res));
    return Outcome::kDropped;
  }
  spdlog::debug("build {}: {}: {}; retrying", id, what, DescribeHttpError(*res));
  return Outcome::kRetry;
}

}  // namespace swarm::agent

#pragma once

// Delivery of finished builds to the controller (docs/api.md, "Builds"): the
// log, then after a success the binary package, then the result, each step
// once. A report is kept until the controller has answered its last step, or
// has refused one for good; while the controller is away or failing, each
// report waits out its own backoff. The agent sends reports on a thread of
// their own, so an upload delays neither a heartbeat nor the next build.

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "api/types.h"
#include "base/clock.h"
#include "base/status.h"
#include "node-agent/build_executor.h"
#include "node-agent/transport.h"

namespace swarm::agent {

// "/api/v1/drones/<name>/builds/<assignment>"; the log and the binary
// package go to that path + "/log" and + "/binpkg".
std::string BuildReportPath(const std::string& drone_name, const std::string& assignment);

// The most of a build log sent: the controller keeps the last 1 MiB.
inline constexpr size_t kMaxLogUploadBytes = 1 << 20;

// How a heartbeat lists a build that ended and whose report is not in yet:
// Uploading (its slot free for the next build) after a success, Running
// after a failure or a return, whose result decides what the drone gets next.
const char* ReportState(const FinishedBuild& build);

// The most successes whose reports wait with their slots given away; later
// ones list as Running until the backlog shrinks, so a slow link cannot pile
// up finished packages that a drone lost would take with it.
inline constexpr size_t kMaxUploading = 16;

// The last `max_bytes` bytes of the file at `path` (all of a smaller file).
// NotFound or Unavailable, naming the path, when it cannot be read or is
// not a regular file; a symbolic link is not followed (Unavailable).
Result<std::string> ReadFileTail(const std::string& path, size_t max_bytes);

// Thread safety: Deliver() runs on one thread at a time (the agent's report
// thread, or the heartbeat loop when it has none); Add(), Retain() and
// Progress() may be called from any thread meanwhile. Nothing is sent under
// the lock: a report Retain() drops while its step is in flight is forgotten
// when the step returns.
class BuildReportOutbox {
 public:
  // `clock` is not owned. `uniform01` jitters the backoff (see Backoff);
  // empty means a seeded random engine.
  explicit BuildReportOutbox(Clock* clock, std::function<double()> uniform01 = {});

  // Holds the report of `build` for delivery after those already held.
  void Add(FinishedBuild build);

  // Sends the next steps of every held report that is due (all of them when
  // `ignore_backoff`), oldest first. 2xx: the step is done; after the result
  // the report is delivered. 409 (the assignment is no longer this drone's),
  // 422 (an upload refused: the controller requeued the package), 400, 403
  // and 404: the report is dropped, logged. Other statuses and transport
  // errors: kept for a retry after a backoff (1s doubling to 30s); a
  // transport error also ends this call, as the rest would fail alike.
  // Returns how many reports are still held; `*reported` (when given) gets
  // how many results the controller took in this call. `stop` (when given)
  // is asked between steps: true ends the call there; the rest is sent by
  // the next one. `each_reported` (when given) is called, under no lock, as
  // each result is taken, before the rest are sent.
  size_t Deliver(ControllerTransport& transport, const std::string& drone_name,
                 bool ignore_backoff = false, size_t* reported = nullptr,
                 const std::function<bool()>& stop = {},
                 const std::function<void()>& each_reported = {});

  // Drops the reports of assignments not in `current`: the controller no
  // longer lists them, so it would refuse them.
  void Retain(const std::set<std::string>& current);

  // The builds whose reports are held, oldest first, as ReportState() says
  // (until its result is in, the controller must not think a build lost),
  // but Running past kMaxUploading successes.
  std::vector<api::BuildProgress> Progress() const;

 private:
  enum class Step { kLog, kBinpkg, kResult, kDone };
  struct Pending {
    FinishedBuild build;
    Step step = Step::kLog;
    int failures = 0;  // failed attempts in a row, for the backoff
    SteadyTime due{};  // not retried before this
  };
  enum class Outcome { kNext, kDropped, kRetry, kUnreachable };

  // Sends the report's current step; advances `p.step` on success.
  Outcome Send(Pending& p, ControllerTransport& transport, const std::string& drone_name);
  Outcome SendLog(Pending& p, ControllerTransport& transport, const std::string& path);
  Outcome SendBinpkg(Pending& p, ControllerTransport& transport, const std::string& path);
  Outcome SendResult(Pending& p, ControllerTransport& transport, const std::string& path);
  // Reads a reply to a step: kNext for 2xx, kDropped (logged) for a final
  // refusal, kRetry otherwise.
  Outcome Judge(const Pending& p, const char* what, const Result<HttpResponse>& res);

  Clock* clock_;
  std::function<double()> uniform01_;
  std::mutex deliver_mu_;  // one Deliver() at a time; taken before mu_
  mutable std::mutex mu_;  // pending_
  std::deque<Pending> pending_;
};

}  // namespace swarm::agent

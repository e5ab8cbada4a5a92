#pragma once

// A BuildExecutor that records the builds it is given and answers from a
// script, for tests of the build runner and the agent loop.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "node-agent/build_executor.h"

namespace swarm::agent::testing {

// A success as the host executor reports one.
inline FinishedBuild SucceededBuild(const api::BuildAssignment& a) {
  FinishedBuild f;
  f.result.assignment = a.id;
  f.result.package = a.package;
  f.result.outcome = api::kBuildSucceeded;
  f.result.message = "built";
  f.result.duration_ms = 1000;
  f.result.binpkg = api::BinaryPackageRef{"cat/pkg/pkg-1.0-1.gpkg.tar", 3, "ab"};
  return f;
}

inline FinishedBuild FailedBuild(const api::BuildAssignment& a, const std::string& failure_class,
                                 const std::string& message, bool oom = false) {
  FinishedBuild f;
  f.result.assignment = a.id;
  f.result.package = a.package;
  f.result.outcome = api::kBuildFailed;
  f.result.failure_class = failure_class;
  f.result.phase = "compile";
  f.result.message = message;
  f.result.oom_killed = oom;
  f.result.duration_ms = 1000;
  return f;
}

class FakeBuildExecutor final : public BuildExecutor {
 public:
  using During = std::function<void(const api::BuildAssignment&, CancelToken&)>;
  using Answer = std::function<FinishedBuild(const api::BuildAssignment&)>;

  // Runs `during` (while the build is the runner's running one), then
  // answers with `answer` (SucceededBuild by default); a build whose token
  // was cancelled by then ends cancelled, as emerge would.
  FinishedBuild Execute(const api::BuildAssignment& a,
                        std::shared_ptr<CancelToken> cancel) override {
    During during;
    Answer answer;
    bool ends_despite_cancel = false;
    {
      std::lock_guard<std::mutex> l(mu_);
      executed_.push_back(a.id);
      tokens_[a.id] = cancel;
      during = during_;
      answer = answer_;
      ends_despite_cancel = ends_despite_cancel_;
    }
    if (during) during(a, *cancel);
    FinishedBuild f = answer ? answer(a) : SucceededBuild(a);
    if (cancel->cancelled() && !ends_despite_cancel) f.cancelled = true;
    return f;
  }

  void SetDuring(During d) {
    std::lock_guard<std::mutex> l(mu_);
    during_ = std::move(d);
  }
  // The build ends on its own even when its token is cancelled meanwhile
  // (emerge exited before the cancel reached it).
  void SetEndsDespiteCancel(bool v) {
    std::lock_guard<std::mutex> l(mu_);
    ends_despite_cancel_ = v;
  }
  void SetAnswer(Answer a) {
    std::lock_guard<std::mutex> l(mu_);
    answer_ = std::move(a);
  }
  std::vector<std::string> executed() const {
    std::lock_guard<std::mutex> l(mu_);
    return executed_;
  }
  // The token the build of `id` was given; null when it never ran.
  std::shared_ptr<CancelToken> token(const std::string& id) const {
    std::lock_guard<std::mutex> l(mu_);
    auto it = tokens_.find(id);
    return it == tokens_.end() ? nullptr : it->second;
  }

 private:
  mutable std::mutex mu_;
  During during_;
  Answer answer_;
  bool ends_despite_cancel_ = false;
  std::vector<std::string> executed_;
  std::map<std::string, std::shared_ptr<CancelToken>> tokens_;
};

}  // namespace swarm::agent::testing

#pragma once

// An ActionExecutor that records the actions it is given and answers at
// once, for tests of the runner and the agent loop.

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "node-agent/action_executor.h"

namespace swarm::agent::testing {

class FakeActionExecutor final : public ActionExecutor {
 public:
  api::ActionResult Execute(const api::Action& action) override {
    std::function<void(const api::Action&)> during;
    {
      std::lock_guard<std::mutex> l(mu_);
      executed_.push_back(action.id);
      during = during_;
    }
    // While this runs, the action is the runner's running one.
    if (during) during(action);
    api::ActionResult r;
    r.id = action.id;
    r.type = action.type;
    r.succeeded = true;
    r.message = "done";
    r.deploy_version = action.version;
    return r;
  }

  void SetDuring(std::function<void(const api::Action&)> during) {
    std::lock_guard<std::mutex> l(mu_);
    during_ = std::move(during);
  }
  std::vector<std::string> executed() const {
    std::lock_guard<std::mutex> l(mu_);
    return executed_;
  }

 private:
  mutable std::mutex mu_;
  std::function<void(const api::Action&)> during_;
  std::vector<std::string> executed_;
};

}  // namespace swarm::agent::testing

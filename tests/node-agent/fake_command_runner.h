#pragma once

// A CommandRunner that records what it was asked to run and answers from a
// script, for agent tests that must not spawn git or emerge.

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "base/command_runner.h"

namespace swarm::agent::testing {

class FakeCommandRunner final : public CommandRunner {
 public:
  using Handler = std::function<Result<CommandResult>(const CommandSpec&)>;

  // The next Run() returns this (queued in order); with nothing queued, Run()
  // answers Unavailable, as for a program that is not installed.
  void Push(Result<CommandResult> r) {
    std::lock_guard<std::mutex> l(mu_);
    replies_.push_back(std::move(r));
  }
  // Queues a finished command with that exit code and output.
  void PushExit(int exit_code, std::string output) { Push(Exited(exit_code, std::move(output))); }

  // When set, answers every Run() instead of the queue (which it may still
  // use through Next()): for tests whose commands come in an order that is
  // not theirs to script, such as probes around a hook.
  void SetHandler(Handler h) {
    std::lock_guard<std::mutex> l(mu_);
    handler_ = std::move(h);
  }

  Result<CommandResult> Run(const CommandSpec& spec) override {
    Handler handler;
    {
      std::lock_guard<std::mutex> l(mu_);
      calls_.push_back(spec.argv);
      specs_.push_back(spec);
      handler = handler_;
    }
    if (handler) return handler(spec);
    return Next(spec);
  }

  // The next queued reply, or Unavailable for `spec` when none is queued.
  Result<CommandResult> Next(const CommandSpec& spec) {
    std::lock_guard<std::mutex> l(mu_);
    if (replies_.empty()) return Unavailable(spec.argv.at(0) + ": not found");
    Result<CommandResult> r = std::move(replies_.front());
    replies_.pop_front();
    return r;
  }

  static CommandResult Exited(int exit_code, std::string output) {
    CommandResult r;
    r.exit_code = exit_code;
    r.output = std::move(output);
    return r;
  }

  std::vector<std::vector<std::string>> calls() const {
    std::lock_guard<std::mutex> l(mu_);
    return calls_;
  }
  std::vector<CommandSpec> specs() const {
    std::lock_guard<std::mutex> l(mu_);
    return specs_;
  }

 private:
  mutable std::mutex mu_;
  Handler handler_;
  std::deque<Result<CommandResult>> replies_;
  std::vector<std::vector<std::string>> calls_;
  std::vector<CommandSpec> specs_;
};

}  // namespace swarm::agent::testing

#pragma once

// A CommandRunner that records what it was asked to run and answers from a
// script, for agent tests that must not spawn git or emerge.

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "base/command_runner.h"

namespace swarm::agent::testing {

class FakeCommandRunner final : public CommandRunner {
 public:
  // The next Run() returns this (queued in order); with nothing queued, Run()
  // answers Unavailable, as for a program that is not installed.
  void Push(Result<CommandResult> r) {
    std::lock_guard<std::mutex> l(mu_);
    replies_.push_back(std::move(r));
  }
  // Queues a finished command with that exit code and output.
  void PushExit(int exit_code, std::string output) {
    CommandResult r;
    r.exit_code = exit_code;
    r.output = std::move(output);
    Push(std::move(r));
  }

  Result<CommandResult> Run(const CommandSpec& spec) override {
    std::lock_guard<std::mutex> l(mu_);
    calls_.push_back(spec.argv);
    if (replies_.empty()) return Unavailable(spec.argv.at(0) + ": not found");
    Result<CommandResult> r = std::move(replies_.front());
    replies_.pop_front();
    return r;
  }

  std::vector<std::vector<std::string>> calls() const {
    std::lock_guard<std::mutex> l(mu_);
    return calls_;
  }

 private:
  mutable std::mutex mu_;
  std::deque<Result<CommandResult>> replies_;
  std::vector<std::vector<std::string>> calls_;
};

}  // namespace swarm::agent::testing

#pragma once

// How long a failed key waits before it is retried. The shapes follow
// Kubernetes' client-go: a per-key exponential backoff, a global token bucket,
// and the max of the two as the controller default, so one flapping key backs
// off alone while a storm of failures cannot exceed the global rate.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"

namespace swarm::controller {

// Thread safety: implementations are safe to call from any thread.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Records one more retry of `key` and returns how long it should wait.
  virtual Duration When(const std::string& key) = 0;
  // Drops what is remembered about `key` (call after it succeeded).
  virtual void Forget(const std::string& key) = 0;
  // How many times When() was called for `key` since it was last forgotten.
  virtual int NumRequeues(const std::string& key) const = 0;
};

// base * 2^(failures so far), capped at max: base, 2*base, 4*base, ..., max.
// Thread safety: safe to call from any thread.
class ItemExponentialBackoff final : public RateLimiter {
 public:
  ItemExponentialBackoff(Duration base, Duration max);
  Duration When(const std::string& key) override;
  void Forget(const std::string& key) override;
  int NumRequeues(const std::string& key) const override;

 private:
  const Duration base_;
  const Duration max_;
  mutable std::mutex mu_;
  std::map<std::string, int> failures_;
};

// A token bucket shared by all keys: `burst` retries pass at once, then one per
// 1/qps. Every call takes a token, even one not yet refilled (the bucket goes
// into debt), so the n-th call past the burst waits n/qps. qps <= 0 means no
// limit; burst is at least 1. Keeps no per-key state: Forget does nothing and
// NumRequeues is 0. Time comes from `clock`, which must outlive this.
// Thread safety: safe to call from any thread.
class TokenBucketLimiter final : public RateLimiter {
 public:
  TokenBucketLimiter(Clock* clock, double qps, int burst);
  Duration When(const std::string& key) override;
  void Forget(const std::string& /*key*/) override {}
  int NumRequeues(const std::string& /*key*/) const override { return 0; }

 private:
  Clock* const clock_;
  const double qps_;
  const double burst_;
  std::mutex mu_;
  double tokens_;
  SteadyTime last_;
};

// The longest wait any of `limiters` asks for. Every limiter sees every call,
// so each keeps its own count. NumRequeues is the largest of theirs.
// Thread safety: safe to call from any thread.
class MaxOfRateLimiter final : public RateLimiter {
 public:
  explicit MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters);
  Duration When(const std::string& key) override;
  void Forget(const std::string& key) override;
  int NumRequeues(const std::string& key) const override;

 private:
  const std::vector<std::unique_ptr<RateLimiter>> limiters_;
};

struct RateLimiterOptions {
  Duration base_delay{500};                      // first retry of a key
  Duration max_delay = std::chrono::minutes(5);  // per-key cap
  double qps = 10;                               // global refill rate
  int burst = 100;                               // global bucket size
};

// The controller default: max of ItemExponentialBackoff(base_delay, max_delay)
// and TokenBucketLimiter(clock, qps, burst). `clock` must outlive the result.
std::unique_ptr<RateLimiter> NewControllerRateLimiter(Clock* clock,
                                                      const RateLimiterOptions& options = {});

}  // namespace swarm::controller

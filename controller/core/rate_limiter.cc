#include "controller/core/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace swarm::controller {

ItemExponentialBackoff::ItemExponentialBackoff(Duration base, Duration max)
    : base_(std::max(base, Duration::zero())), max_(std::max(max, Duration::zero())) {}

Duration ItemExponentialBackoff::When(const std::string& key) {
  int exp;
  {
    std::lock_guard<std::mutex> l(mu_);
    exp = failures_[key]++;
  }
  // Doubling stops as soon as the cap is reached, so large counts cannot overflow.
  Duration d = base_;
  for (int i = 0; i < exp && d > Duration::zero() && d < max_; ++i) {
    d = d > max_ / 2 ? max_ : d * 2;
  }
  return std::min(d, max_);
}

void ItemExponentialBackoff::Forget(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  failures_.erase(key);
}

int ItemExponentialBackoff::NumRequeues(const std::string& key) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

TokenBucketLimiter::TokenBucketLimiter(Clock* clock, double qps, int burst)
    : clock_(clock),
      qps_(qps),
      burst_(std::max(burst, 1)),
      tokens_(burst_),
      last_(clock->SteadyNow()) {}

Duration TokenBucketLimiter::When(const std::string& /*key*/) {
  if (qps_ <= 0) return Duration::zero();
  std::lock_guard<std::mutex> l(mu_);
  SteadyTime now = clock_->SteadyNow();
  if (now > last_) {
    double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
    last_ = now;
  }
  tokens_ -= 1;
  if (tokens_ >= 0) return Duration::zero();
  // Rounded up so a caller never retries before its token exists.
  double wait_ms = std::ceil(-tokens_ / qps_ * 1000.0 - 1e-6);
  return Duration(static_cast<Duration::rep>(wait_ms));
}

MaxOfRateLimiter::MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters)
    : limiters_(std::move(limiters)) {}

Duration MaxOfRateLimiter::When(const std::string& key) {
  Duration longest = Duration::zero();
  for (const auto& l : limiters_) longest = std::max(longest, l->When(key));
  return longest;
}

void MaxOfRateLimiter::Forget(const std::string& key) {
  for (const auto& l : limiters_) l->Forget(key);
}

int MaxOfRateLimiter::NumRequeues(const std::string& key) const {
  int most = 0;
  for (const auto& l : limiters_) most = std::max(most, l->NumRequeues(key));
  return most;
}

std::unique_ptr<RateLimiter> NewControllerRateLimiter(Clock* clock,
                                                      const RateLimiterOptions& options) {
  std::vector<std::unique_ptr<RateLimiter>> limiters;
  limiters.push_back(
      std::make_unique<ItemExponentialBackoff>(options.base_delay, options.max_delay));
  limiters.push_back(std::make_unique<TokenBucketLimiter>(clock, options.qps, options.burst));
  return std::make_unique<MaxOfRateLimiter>(std::move(limiters));
}

}  // namespace swarm::controller

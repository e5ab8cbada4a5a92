#include "node-agent/action_results.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <utility>

namespace swarm::agent {
namespace {

// The controller's "never": retrying these unchanged cannot succeed.
bool IsFinalActionRefusal(int status) {
  return status == 400 || status == 403 || status == 404 || status == 409;
}

}  // namespace

std::string ActionResultPath(const std::string& drone_name, const std::string& action_id) {
  return "/api/v1/drones/" + drone_name + "/actions/" + action_id;
}

void ResultOutbox::Add(api::ActionResult result) { pending_.push_back(std::move(result)); }

size_t ResultOutbox::Deliver(ControllerTransport& transport, const std::string& drone_name) {
  std::deque<api::ActionResult> kept;
  while (!pending_.empty()) {
    api::ActionResult r = std::move(pending_.front());
    pending_.pop_front();
    // Hook output need not be UTF-8: replace what is not, rather than throw.
    std::string body =
        api::ActionResultToJson(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    auto res = transport.Post(ActionResultPath(drone_name, r.id), body);
    if (!res.ok()) {
      spdlog::debug("result of action {}: {}; retrying at the next heartbeat", r.id,
                    res.status().message());
      kept.push_back(std::move(r));
      break;
    }
    if (res->status >= 200 && res->status < 300) {
      spdlog::info("result of action {} ({}) delivered", r.id, r.type);
    } else if (IsFinalActionRefusal(res->status)) {
      spdlog::warn("result of action {} ({}) refused, dropping it: {}", r.id, r.type,
                   DescribeHttpError(*res));
    } else {
      spdlog::debug("result of action {}: {}; retrying at the next heartbeat", r.id,
                    DescribeHttpError(*res));
      kept.push_back(std::move(r));
    }
  }
  // Undelivered results keep their order ahead of any not tried this time.
  for (auto it = kept.rbegin(); it != kept.rend(); ++it) pending_.push_front(std::move(*it));
  return pending_.size();
}

}  // namespace swarm::agent

// Every JSON message one end of the wire decodes from the other, read as the
// receiver reads it: the body parsed by api::ParseJsonBody, then the
// message's codec. The first byte picks the message, the rest is the body:
//
//   'h'  heartbeat           POST /api/v1/drones/<name>/heartbeat      read by the controller
//   'a'  action result       POST /api/v1/drones/<name>/actions/<id>   read by the controller
//   'b'  build result        POST /api/v1/drones/<name>/builds/<id>    read by the controller
//   'r'  heartbeat reply     the reply to a heartbeat                  read by the agent
//   'n'  build result reply  the reply to a build result               read by the agent
//
// (any other byte picks one by its value, so no input is wasted). A message
// that decodes must read back equal from its encoding, as the other end
// writes it; the names and index entries the controller reads next must not
// crash their parsers either.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "api/codec.h"
#include "api/cpv.h"
#include "api/json_body.h"
#include "api/packages_index.h"
#include "api/protocol.h"
#include "api/replies.h"
#include "fuzz/check.h"

namespace swarm::fuzz {
namespace {

using nlohmann::json;

// The body as the receiver dumps what it sends (invalid UTF-8 replaced).
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The controller's checks of a discovered queue and of a build's package
// (controller/queue, controller/builds), and the index entry it files.
void ReadNames(const api::ActionResult& r) {
  for (const auto& p : r.packages) {
    (void)api::ParseCpv(p.name);
    (void)api::PackageKey(p.name);
    for (const auto& d : p.dependencies) (void)api::ParseCpv(d);
  }
}

void Heartbeat(const json& body) {
  auto report = api::DroneReportFromJson(body);
  if (!report.ok()) return;
  auto again = api::DroneReportFromJson(json::parse(Dump(api::DroneReportToJson(*report))));
  FUZZ_CHECK(again.ok() && *again == *report, "heartbeat does not round-trip: " + Dump(body));
}

void ActionResult(const json& body) {
  auto result = api::ActionResultFromJson(body);
  if (!result.ok()) return;
  ReadNames(*result);
  (void)api::IsSafeId(result->id);
  // The scheduler adds estimates up: they are bounded as build times are.
  for (const auto& p : result->packages) {
    FUZZ_CHECK(p.estimated_ms >= 0 && p.estimated_ms <= api::kMaxBuildMs &&
                   p.estimated_cpu_ms >= 0 &&
                   p.estimated_cpu_ms <= p.estimated_ms * api::kMaxBuildCores,
               "estimate out of bounds for " + p.name);
  }
  auto again = api::ActionResultFromJson(json::parse(Dump(api::ActionResultToJson(*result))));
  FUZZ_CHECK(again.ok() && *again == *result, "action result does not round-trip: " + Dump(body));
}

void BuildResult(const json& body) {
  auto result = api::BuildResultFromJson(body);
  if (!result.ok()) return;
  (void)api::ParseCpv(result->package);
  if (!result->index_entry.empty()) (void)api::ParseIndexEntry(result->index_entry);
  FUZZ_CHECK(result->duration_ms >= 0 && result->duration_ms <= api::kMaxBuildMs &&
                 result->cpu_ms >= 0 && result->cpu_ms <= result->duration_ms * api::kMaxBuildCores,
             "build times out of bounds");
  auto again = api::BuildResultFromJson(json::parse(Dump(api::BuildResultToJson(*result))));
  FUZZ_CHECK(again.ok() && *again == *result, "build result does not round-trip: " + Dump(body));
}

// The agent's reading of a reply keeps every field of an action, whatever
// its type, while the controller writes only those of its type: what must
// hold is that the agent reads back exactly what the controller writes.
void HeartbeatReply(const json& body) {
  std::vector<std::string> skipped;
  auto reply = api::HeartbeatReplyFromJson(body, &skipped);
  if (!reply.ok()) return;
  for (const auto& a : reply->actions) FUZZ_CHECK(api::IsSafeId(a.id), "unsafe id " + a.id);
  for (const auto& a : reply->assignments) FUZZ_CHECK(api::IsSafeId(a.id), "unsafe id " + a.id);
  const std::string sent = Dump(api::HeartbeatReplyToJson(*reply));
  std::vector<std::string> skipped_again;
  auto again = api::HeartbeatReplyFromJson(json::parse(sent), &skipped_again);
  FUZZ_CHECK(again.ok() && skipped_again.empty() && Dump(api::HeartbeatReplyToJson(*again)) == sent,
             "heartbeat reply does not round-trip: " + Dump(body));
}

void BuildResultReply(const json& body) {
  std::vector<std::string> skipped;
  auto reply = api::BuildResultReplyFromJson(body, &skipped);
  if (!reply.ok()) return;
  std::vector<std::string> skipped_again;
  auto again = api::BuildResultReplyFromJson(json::parse(Dump(api::BuildResultReplyToJson(*reply))),
                                             &skipped_again);
  FUZZ_CHECK(again.ok() && *again == *reply && skipped_again.empty(),
             "build result reply does not round-trip: " + Dump(body));
}

// The reader the first byte picks.
using Reader = void (*)(const json&);
Reader ReaderFor(uint8_t selector) {
  static constexpr std::pair<char, Reader> kReaders[] = {{'h', Heartbeat},
                                                         {'a', ActionResult},
                                                         {'b', BuildResult},
                                                         {'r', HeartbeatReply},
                                                         {'n', BuildResultReply}};
  for (const auto& [letter, reader] : kReaders) {
    if (selector == static_cast<uint8_t>(letter)) return reader;
  }
  return kReaders[selector % std::size(kReaders)].second;
}

}  // namespace
}  // namespace swarm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  // As both ends read a body. The API server refuses anything but an object
  // before its codec; the codecs must not care.
  const auto j = swarm::api::ParseJsonBody(body);
  if (!j.ok()) return 0;
  swarm::fuzz::ReaderFor(data[0])(*j);
  return 0;
}

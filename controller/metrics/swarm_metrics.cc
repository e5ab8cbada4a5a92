#include "controller/metrics/swarm_metrics.h"

#include <chrono>
#include <utility>

#include "api/conditions.h"
#include "api/events.h"
#include "api/protocol.h"

namespace swarm::controller::metrics {
namespace {

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

const char* Bool(bool b) { return b ? "true" : "false"; }

}  // namespace

SwarmMetrics::SwarmMetrics(Registry* r, Clock* clock) : registry_(r), clock_(clock) {
  r->AddGauge("buildswarm_drones",
              "Roster members by their Ready condition, reported health, grounding and cordon, "
              "as the last swarm pass saw them.",
              {"ready", "health", "grounded", "cordoned"}, [this](const GaugeFunc::Emit& emit) {
                std::lock_guard<std::mutex> l(mu_);
                for (const auto& [k, n] : drones_) {
                  emit({k.ready, k.health, Bool(k.grounded), Bool(k.cordoned)}, n);
                }
              });
  r->AddGauge("buildswarm_packages", "Packages of the build queue by phase.", {"phase"},
              [this](const GaugeFunc::Emit& emit) {
                std::lock_guard<std::mutex> l(mu_);
                emit({api::kPhaseNeeded}, queue_.needed);
                emit({api::kPhaseBuilding}, queue_.building);
                emit({api::kPhaseComplete}, queue_.complete);
                emit({api::kPhaseFailed}, queue_.failed);
                emit({api::kPhaseBlocked}, queue_.blocked);
              });
  builds_started_ = r->AddCounter("buildswarm_builds_started_total",
                                  "Builds handed to a drone (each try of a package counts).");
  builds_succeeded_ = r->AddCounter("buildswarm_builds_succeeded_total",
                                    "Builds that ended with their binary package published.");
  builds_failed_ = r->AddCounter("buildswarm_builds_failed_total",
                                 "Builds that failed, by the class of their failure.", {"class"});
  for (const char* c : {api::kFailureSystemic, api::kFailureFetch, api::kFailureDroneResources,
                        api::kFailurePackage}) {
    builds_failed_->Touch({c});
  }
  builds_returned_ = r->AddCounter("buildswarm_builds_returned_total",
                                   "Builds a drone gave back unbuilt (a tree it does not have).");
  builds_lost_ = r->AddCounter(
      "buildswarm_builds_lost_total",
      "Builds taken from their drone: lost (the agent stopped listing it), reclaimed (drone "
      "unreachable, drained or out of the roster), withdrawn (its queue went stale).",
      {"reason"});
  for (const char* reason : {"lost", "reclaimed", "withdrawn"}) builds_lost_->Touch({reason});
  published_bytes_ = r->AddCounter("buildswarm_binhost_published_bytes_total",
                                   "Bytes of binary packages published on the binhost.");
  verification_failures_ = r->AddCounter(
      "buildswarm_binhost_verification_failures_total",
      "Binary packages refused on upload or found bad once published (empty, wrong size or "
      "digest, not the package).");
  systemic_faults_ = r->AddCounter("buildswarm_systemic_faults_total",
                                   "Systemic faults raised (the tree or queue is wrong).");
  groundings_ =
      r->AddCounter("buildswarm_drone_groundings_total", "Drones grounded for repeated failures.");
  requests_ = r->AddCounter("buildswarm_http_requests_total",
                            "API requests answered, by route and status code.", {"route", "code"});
  build_seconds_ =
      r->AddHistogram("buildswarm_build_duration_seconds",
                      "How long emerge ran for builds that succeeded.", BuildSecondsBuckets());
  request_seconds_ =
      r->AddHistogram("buildswarm_http_request_duration_seconds",
                      "How long the controller took to answer an API request, by route; "
                      "route=\"/api/v1/drones/*/heartbeat\" is the heartbeat latency.",
                      RequestSecondsBuckets(), {"route"});
  idle_gap_seconds_ = r->AddHistogram(
      "buildswarm_drone_idle_gap_seconds",
      "From a build's end on a drone to that drone's next build start.", WaitSecondsBuckets());
  discovery_seconds_ = r->AddHistogram(
      "buildswarm_queue_discovery_duration_seconds",
      "From a discovery's issue to its queue being taken (the discovering drone's emerge "
      "--pretend included).",
      WaitSecondsBuckets());
  pass_seconds_ = r->AddHistogram("buildswarm_reconcile_duration_seconds",
                                  "How long a reconcile pass of the work queue took, by pass.",
                                  WaitSecondsBuckets(), {"pass"});
}

void SwarmMetrics::PackageChanged(const api::Package& before, const api::Package& after) {
  const bool was = before.phase == api::kPhaseBuilding;
  const bool is = after.phase == api::kPhaseBuilding;
  const bool ended = was && (!is || after.assignment != before.assignment);
  const bool started = is && (!was || after.assignment != before.assignment);
  const SteadyTime now = clock_->SteadyNow();
  if (ended) {
    std::lock_guard<std::mutex> l(mu_);
    ended_[before.drone] = now;
  }
  if (started) {
    builds_started_->Add();
    std::lock_guard<std::mutex> l(mu_);
    auto it = ended_.find(after.drone);
    if (it != ended_.end()) {
      idle_gap_seconds_->Observe(Seconds(std::chrono::duration_cast<Duration>(now - it->second)));
      ended_.erase(it);
    }
  }
  if (before.phase != api::kPhaseComplete && after.phase == api::kPhaseComplete) {
    build_seconds_->Observe(Seconds(Duration(after.build_ms)));
    if (after.binpkg) published_bytes_->Add({}, static_cast<double>(after.binpkg->size));
  }
  // Whether this end was a failure, the event of the same commit says
  // (EventRecorded, next); the class is the package's.
  if (ended && after.last_failure) {
    std::lock_guard<std::mutex> l(mu_);
    ending_class_[after.name] = after.last_failure->failure_class;
  }
}

void SwarmMetrics::EventRecorded(const api::Event& e) {
  namespace ev = api::events;
  const std::string& r = e.reason;
  if (r != ev::kBuildFailed && e.object_kind == api::kKindPackage) {
    std::lock_guard<std::mutex> l(mu_);
    ending_class_.erase(e.object_name);
  }
  if (r == ev::kBuildSucceeded) {
    builds_succeeded_->Add();
  } else if (r == ev::kBuildFailed) {
    std::string failure_class = "Unknown";
    {
      std::lock_guard<std::mutex> l(mu_);
      auto it = ending_class_.find(e.object_name);
      if (it != ending_class_.end()) {
        failure_class = it->second;
        ending_class_.erase(it);
      }
    }
    builds_failed_->Add({failure_class});
  } else if (r == ev::kBuildReturned) {
    builds_returned_->Add();
  } else if (r == ev::kBuildLost) {
    builds_lost_->Add({"lost"});
  } else if (r == ev::kBuildReclaimed) {
    builds_lost_->Add({"reclaimed"});
  } else if (r == ev::kBuildWithdrawn) {
    builds_lost_->Add({"withdrawn"});
  } else if (r == ev::kBinpkgRejected || r == ev::kBinpkgCorrupt) {
    verification_failures_->Add();
  } else if (r == ev::kSystemicFault) {
    systemic_faults_->Add();
  } else if (r == ev::kDroneGrounded) {
    groundings_->Add();
  } else if (r == ev::kDiscoveryIssued) {
    std::lock_guard<std::mutex> l(mu_);
    discovery_issued_ = clock_->SteadyNow();
  } else if (r == ev::kQueueDiscovered) {
    std::optional<SteadyTime> issued;
    {
      std::lock_guard<std::mutex> l(mu_);
      issued = std::exchange(discovery_issued_, std::nullopt);
    }
    if (issued) {
      discovery_seconds_->Observe(
          Seconds(std::chrono::duration_cast<Duration>(clock_->SteadyNow() - *issued)));
    }
  }
}

void SwarmMetrics::SetCounts(std::map<DroneKey, int> drones, const api::QueueSummary& queue) {
  std::lock_guard<std::mutex> l(mu_);
  drones_ = std::move(drones);
  queue_ = queue;
}

void SwarmMetrics::ObserveRequest(const std::string& route, int code,
                                  std::optional<double> seconds) {
  requests_->Add({route, std::to_string(code)});
  if (seconds) request_seconds_->Observe(*seconds, {route});
}

void SwarmMetrics::ObservePass(const std::string& pass, double seconds) {
  pass_seconds_->Observe(seconds, {pass});
}

}  // namespace swarm::controller::metrics

// SwarmController's requests: each takes the lock, asks the concerns in
// turn, and schedules the swarm-wide work it makes due. The work queue and
// its passes are in swarm_loop.cc.

#include "controller/core/swarm_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>

#include "api/codec.h"
#include "api/events.h"
#include "api/limits.h"
#include "base/command_runner.h"
#include "base/strings.h"

namespace swarm::controller {
namespace {

constexpr char kNoSwarmYet[] = "no Swarm has been applied yet (swarmctl apply -f swarm.yaml)";

}  // namespace

const char* ApplyOutcomeName(ApplyOutcome o) {
  switch (o) {
    case ApplyOutcome::kCreated:
      return "created";
    case ApplyOutcome::kConfigured:
      return "configured";
    case ApplyOutcome::kUnchanged:
      return "unchanged";
  }
  return "unchanged";
}

Status SwarmController::Start() {
  std::lock_guard<std::mutex> l(mu_);
  auto swarm = store_->GetSwarm();
  if (!swarm.ok()) return swarm.status();
  auto statuses = store_->ListDroneStatuses();
  if (!statuses.ok()) return statuses.status();
  auto packages = store_->ListPackages();
  if (!packages.ok()) return packages.status();
  auto releases = store_->ListReleases();
  if (!releases.ok()) return releases.status();
  // What the store holds is the state: loaded once, before anything else runs.
  state_.swarm = std::move(swarm.value());
  for (auto& [name, status] : statuses.value()) state_.statuses[name] = std::move(status);
  state_.packages.Replace(std::move(packages.value()));
  state_.releases = std::move(releases.value());
  SortReleases(state_.releases);
  // The index of a previous run may be missing or older than the store.
  if (binhost_) binhost_->Reset(state_.packages);
  std::random_device random;
  // 64 random bits: ids (action and assignment fencing tokens) of an earlier
  // run are never issued again.
  char prefix[24];
  std::snprintf(prefix, sizeof prefix, "%08x%08x", random(), random());
  drones_.Start(prefix);
  queue_.Start(prefix);
  faults_.Restore();
  writer_.Loaded();
  std::string message = "controller started";
  if (!state_.swarm) {
    spdlog::info("{}", message);
    return Status::Ok();
  }
  message += " with swarm/" + state_.swarm->metadata.name + " (generation " +
             std::to_string(state_.swarm->metadata.generation) + ", " +
             std::to_string(state_.swarm->spec.drones.size()) +
             " roster members); every drone gets a fresh heartbeat grace period";
  spdlog::info("{}", message);
  Changes changes;
  changes.Event(api::kKindSwarm, state_.swarm->metadata.name, api::events::kNormal,
                api::events::kControllerStarted, message);
  return writer_.Commit(std::move(changes));
}

Result<ApplyResult> SwarmController::Apply(const api::Swarm& desired, bool dry_run) {
  std::lock_guard<std::mutex> l(mu_);
  const std::optional<api::Swarm>& current = state_.swarm;
  if (current && current->metadata.name != desired.metadata.name) {
    return Conflict("this controller manages swarm/" + current->metadata.name +
                    "; it cannot also take swarm/" + desired.metadata.name);
  }

  // The fresh annotation is the server's (set by RequestFresh only): an
  // applied manifest neither sets it nor rolls it back to an older request.
  api::Swarm wanted = desired;
  wanted.metadata.annotations.erase(api::kFreshAnnotation);
  if (current) {
    auto it = current->metadata.annotations.find(api::kFreshAnnotation);
    if (it != current->metadata.annotations.end()) {
      wanted.metadata.annotations[api::kFreshAnnotation] = it->second;
    }
  }

  api::Swarm next;
  ApplyOutcome outcome;
  if (!current) {
    next = wanted;
    next.status = {};
    next.metadata.generation = 1;
    next.metadata.resource_version = 0;  // 1 once committed
    next.metadata.creation_timestamp = clock_->Now();
    outcome = ApplyOutcome::kCreated;
  } else {
    next = *current;
    const bool spec_changed = current->spec != wanted.spec;
    const bool annotations_changed = current->metadata.annotations != wanted.metadata.annotations;
    if (!spec_changed && !annotations_changed) return ApplyResult{ApplyOutcome::kUnchanged, next};
    next.spec = wanted.spec;
    next.metadata.annotations = wanted.metadata.annotations;
    if (spec_changed) ++next.metadata.generation;
    outcome = ApplyOutcome::kConfigured;
  }
  if (dry_run) {
    // As the commit would leave it: one more resource version.
    ++next.metadata.resource_version;
    return ApplyResult{outcome, std::move(next)};
  }
  const bool created = outcome == ApplyOutcome::kCreated;
  const bool deploy_changed = created || next.spec.deploy.version != current->spec.deploy.version;
  const bool tree_changed =
      created || next.spec.portage.tree_revision != current->spec.portage.tree_revision;

  // One decision, one transaction: the Swarm, the roster's drones, the
  // builds of drones that left, and the events. A crash leaves all or none.
  std::set<std::string> roster;
  for (const auto& d : next.spec.drones) roster.insert(d.name);
  const std::string name = next.metadata.name;
  const std::string what = "swarm/" + name + (created ? " created" : " configured") +
                           " at generation " + std::to_string(next.metadata.generation) +
                           " with " + std::to_string(next.spec.drones.size()) + " roster members";
  Changes changes;
  changes.swarm = std::move(next);
  const std::set<std::string> removed = drones_.RosterChanged(roster, name, changes);
  // A fault that persisted after remediation waits for a person: a new tree
  // or deploy is one, so it is looked at again from scratch.
  const bool fault_cleared = (deploy_changed || tree_changed) && !created &&
                             faults_.SpecChanged(changes);
  changes.Event(api::kKindSwarm, name, api::events::kNormal,
                created ? api::events::kSwarmCreated : api::events::kSwarmConfigured, what);
  if (Status st = writer_.Commit(std::move(changes)); !st.ok()) return st;
  if (fault_cleared) faults_.Forget();
  drones_.SpecApplied(removed, deploy_changed, tree_changed);

  // The reconcilers run now, so no reader sees the old verdicts under the
  // new generation.
  Duration ignored{0};
  if (Status s = ReconcileLocked(&ignored); !s.ok()) {
    spdlog::error("reconciling after apply: {}", s.ToString());
  }
  spdlog::info("swarm/{} {} (generation {})", name, ApplyOutcomeName(outcome),
               state_.swarm->metadata.generation);
  EnqueueLocked(KeysLocked());
  return ApplyResult{outcome, *state_.swarm};
}

Result<api::Swarm> SwarmController::GetSwarm(std::string* resource_version) {
  std::lock_guard<std::mutex> l(mu_);
  if (resource_version) *resource_version = watch_.ResourceVersion();
  if (!state_.swarm) return NotFound(kNoSwarmYet);
  return SwarmLocked();
}

api::Swarm SwarmController::SwarmLocked() const {
  api::Swarm swarm = *state_.swarm;
  swarm.status.progress = queue_.progress();
  return swarm;
}

std::vector<api::Drone> SwarmController::DronesLocked() const {
  std::vector<api::Drone> drones;
  if (!state_.swarm) return drones;
  drones.reserve(state_.swarm->spec.drones.size());
  for (const auto& spec : state_.swarm->spec.drones) drones.push_back(DroneLocked(spec));
  std::sort(drones.begin(), drones.end(),
            [](const api::Drone& a, const api::Drone& b) { return a.name < b.name; });
  return drones;
}

api::Drone SwarmController::DroneLocked(const api::DroneSpec& spec) const {
  api::Drone d;
  d.name = spec.name;
  d.spec = spec;
  d.status = state_.Status(spec.name);
  for (size_t i : state_.packages.BuildingOn(spec.name)) {
    d.status.assignments.push_back(state_.packages[i].name);
  }
  return d;
}

Result<std::vector<api::Drone>> SwarmController::ListDrones(std::string* resource_version) {
  std::lock_guard<std::mutex> l(mu_);
  if (resource_version) *resource_version = watch_.ResourceVersion();
  return DronesLocked();
}

Result<api::Drone> SwarmController::GetDrone(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  const api::DroneSpec* member = state_.RosterMember(name);
  if (member == nullptr) return NotFound("drone \"" + name + "\" is not in the roster");
  return DroneLocked(*member);
}

Result<std::vector<api::Event>> SwarmController::ListEvents(const EventFilter& filter,
                                                            std::string* resource_version) {
  std::lock_guard<std::mutex> l(mu_);
  if (resource_version) *resource_version = watch_.ResourceVersion();
  return store_->ListEvents(filter);
}

Result<HeartbeatReply> SwarmController::Heartbeat(const std::string& name,
                                                  const api::DroneReport& report) {
  std::lock_guard<std::mutex> l(mu_);
  if (!state_.RosterMember(name)) {
    std::string why = state_.swarm ? "drone \"" + name + "\" is not in the roster of swarm/" +
                                         state_.swarm->metadata.name
                                   : "drone \"" + name + "\" cannot join: no Swarm has been applied yet";
    // The event is best effort: a refused heartbeat stays refused even when
    // the store cannot record it.
    Changes changes;
    changes.Event(api::kKindDrone, name, api::events::kWarning, api::events::kNotInRoster,
                  why + "; heartbeat refused");
    if (Status ev = writer_.Commit(std::move(changes)); !ev.ok()) {
      spdlog::error("recording event: {}", ev.ToString());
    }
    return PermissionDenied(why);
  }
  bool changed = false;
  if (Status s = drones_.Heartbeat(name, report, &changed); !s.ok()) return s;
  if (Status s = builds_.RenewLeases(name, report); !s.ok()) return s;
  // The drone's reconcilers run now, so the reply already carries what it
  // must do; when it is the discoverer, the queue's too (its report may be
  // what discovery waited for). Swarm-wide work (status, dispatch to
  // everyone) is coalesced in the work queue.
  Duration ignored{0};
  if (Status s = drones_.Reconcile(name, &ignored); !s.ok()) return s;
  if (name == state_.swarm->spec.queue.discover_on) {
    if (Status s = queue_.Reconcile(&ignored); !s.ok()) {
      spdlog::error("reconciling the queue after a heartbeat from {}: {}", name, s.ToString());
    }
  }
  if (Status s = queue_.DispatchTo(name); !s.ok()) return s;
  HeartbeatReply reply;
  reply.heartbeat_interval = state_.swarm->spec.policy.heartbeat_interval;
  reply.health = state_.swarm->spec.policy.health;
  reply.actions = drones_.ActionsFor(name);
  reply.assignments = builds_.AssignmentsFor(name);
  if (changed) ScheduleSwarmPassLocked();
  WatchLeaseLocked(name);
  return reply;
}

Status SwarmController::ReportActionResult(const std::string& name,
                                           const api::ActionResult& result) {
  std::lock_guard<std::mutex> l(mu_);
  if (!state_.RosterMember(name)) {
    return PermissionDenied("drone \"" + name + "\" is not in the roster");
  }
  const api::Action* in_flight = drones_.InFlight(name, result.id);
  if (in_flight == nullptr) {
    return Conflict("action " + result.id + " is not in flight on drone " + name +
                    " (stale or already reported)");
  }
  const api::Action action = *in_flight;
  bool succeeded = result.succeeded;
  std::string error = result.message;
  if (!result.output_tail.empty()) error += "; output: " + Tail(result.output_tail, 5);
  if (action.type == api::kActionDiscover && succeeded) {
    // The agent checks its tree before it resolves; the controller checks
    // again, so a queue is never taken from a drone on another tree.
    std::string wrong = queue_.CheckDiscovery(result, action, name);
    if (!wrong.empty()) {
      succeeded = false;
      error = wrong;
    }
  }
  // It ends up in a condition and an event: no longer than any drone's message.
  error = Truncate(error, api::kMaxMessageBytes);
  if (action.type == api::kActionDiscover && succeeded) {
    if (Status s = queue_.TakeDiscovery(result, action); !s.ok()) return s;
  }
  if (Status s = drones_.TakeActionResult(name, action, result, succeeded, error); !s.ok()) {
    return s;
  }
  Duration ignored{0};
  if (Status s = drones_.Reconcile(name, &ignored); !s.ok()) return s;
  // A synced discoverer, or a discovered queue: the queue's reconciler acts
  // now; dispatch to everyone follows in the swarm pass.
  if (Status s = queue_.Reconcile(&ignored); !s.ok()) {
    spdlog::error("reconciling the queue after a result from {}: {}", name, s.ToString());
  }
  ScheduleSwarmPassLocked();
  return Status::Ok();
}

Result<std::vector<api::Package>> SwarmController::ListPackages(std::string* resource_version) {
  std::lock_guard<std::mutex> l(mu_);
  if (resource_version) *resource_version = watch_.ResourceVersion();
  return state_.packages.packages();
}

Result<WatchBatch> SwarmController::Watch(const WatchRequest& request) {
  if (request.resource_version.empty() || request.resource_version == "0") {
    return WatchStart(request);
  }
  auto since = watch_.Parse(request.resource_version);
  if (!since.ok()) return since.status();
  uint64_t from = *since;
  while (true) {
    // Waits without mu_: heartbeats and commits go on meanwhile.
    const bool changed = watch_.Wait(from, request.kind, request.deadline);
    std::lock_guard<std::mutex> l(mu_);
    auto entries = watch_.Since(from, request.kind);
    if (!entries.ok()) return entries.status();
    WatchBatch batch;
    batch.resource_version = watch_.ResourceVersion();
    if (request.kind == WatchKind::kEvent) {
      // Every occurrence, as stored when it was recorded.
      for (WatchEntry& e : *entries) {
        if ((request.object_kind.empty() || e.event->object_kind == request.object_kind) &&
            (request.object_name.empty() || e.event->object_name == request.object_name)) {
          batch.items.push_back({e.change, std::move(*e.event)});
        }
      }
    } else {
      // One item per object, placed where it last changed, holding the
      // object as it is now.
      struct Seen {
        WatchChange change;
        uint64_t last;
      };
      std::map<std::string, Seen> objects;
      for (const WatchEntry& e : *entries) {
        auto [it, first] = objects.try_emplace(e.name, Seen{e.change, e.version});
        if (first) continue;
        // Added and then changed is still new to the client.
        if (it->second.change != WatchChange::kAdded || e.change != WatchChange::kModified) {
          it->second.change = e.change;
        }
        it->second.last = e.version;
      }
      std::vector<std::pair<uint64_t, const std::string*>> order;
      order.reserve(objects.size());
      for (const auto& [name, seen] : objects) order.emplace_back(seen.last, &name);
      std::sort(order.begin(), order.end());
      for (const auto& [last, name] : order) {
        batch.items.push_back(WatchedLocked(request.kind, *name, objects[*name].change));
      }
    }
    from = watch_.Current();
    if (!batch.items.empty() || !changed) return batch;
  }
}

Result<WatchBatch> SwarmController::WatchStart(const WatchRequest& request) {
  std::lock_guard<std::mutex> l(mu_);
  WatchBatch batch;
  batch.resource_version = watch_.ResourceVersion();
  auto add = [&](auto object) { batch.items.push_back({WatchChange::kAdded, std::move(object)}); };
  switch (request.kind) {
    case WatchKind::kSwarm:
      if (state_.swarm) add(SwarmLocked());
      break;
    case WatchKind::kDrone:
      for (auto& d : DronesLocked()) add(std::move(d));
      break;
    case WatchKind::kPackage:
      for (const auto& p : state_.packages.packages()) add(p);
      break;
    case WatchKind::kEvent: {
      EventFilter filter;
      filter.object_kind = request.object_kind;
      filter.object_name = request.object_name;
      auto events = store_->ListEvents(filter);
      if (!events.ok()) return events.status();
      // The newest ones, oldest first: in the order they happened.
      for (auto& e : *events) add(std::move(e));
      break;
    }
  }
  return batch;
}

WatchItem SwarmController::WatchedLocked(WatchKind kind, const std::string& name,
                                         WatchChange change) const {
  // What exists now decides: gone is DELETED whatever came before, and
  // back after a deletion is ADDED.
  auto now = [&](bool exists) {
    if (!exists) return WatchChange::kDeleted;
    return change == WatchChange::kDeleted ? WatchChange::kAdded : change;
  };
  switch (kind) {
    case WatchKind::kDrone: {
      const api::DroneSpec* member = state_.RosterMember(name);
      if (member) return {now(true), DroneLocked(*member)};
      api::Drone gone;
      gone.name = name;
      return {now(false), std::move(gone)};
    }
    case WatchKind::kPackage: {
      if (auto i = state_.packages.IndexOf(name)) return {now(true), state_.packages[*i]};
      api::Package gone;
      gone.name = name;
      return {now(false), std::move(gone)};
    }
    case WatchKind::kSwarm:
    case WatchKind::kEvent:
      break;
  }
  if (state_.swarm) return {now(true), SwarmLocked()};
  api::Swarm gone;
  gone.metadata.name = name;
  return {now(false), std::move(gone)};
}

Result<std::string> SwarmController::CurrentAssignment(const std::string& name,
                                                       const std::string& assignment) {
  std::lock_guard<std::mutex> l(mu_);
  if (!state_.RosterMember(name)) {
    return PermissionDenied("drone \"" + name + "\" is not in the roster");
  }
  auto i = builds_.Current(name, assignment);
  if (!i.ok()) return i.status();
  return state_.packages[*i].name;
}

Result<std::vector<api::BuildAssignment>> SwarmController::ReportBuildResult(
    const std::string& name, const api::BuildResult& result) {
  std::unique_lock<std::mutex> l(mu_);
  if (!state_.RosterMember(name)) {
    return PermissionDenied("drone \"" + name + "\" is not in the roster");
  }
  // The file is published outside the lock: a rename and fsyncs must not
  // hold up heartbeats. Its path stays reserved until the result is taken.
  Result<Builds::Begun> begun = builds_.BeginResult(name, result);
  if (!begun.ok()) return begun.status();
  std::optional<Result<api::BinaryPackageRef>> published;
  struct Reservation {
    Builds& builds;
    const std::optional<std::string>& path;
    ~Reservation() {
      if (path) builds.EndPublish(*path);
    }
  } reservation{builds_, begun->publish};  // released under the lock, whatever happens
  if (begun->publish) {
    l.unlock();
    published = builds_.Publish(begun->package, result);
    l.lock();
  }
  bool fault_raised = false;
  Status st = builds_.TakeResult(name, result, published ? &*published : nullptr, &fault_raised);
  if (st.code() == StatusCode::kConflict && published && published->ok()) {
    // Taken back while it was published: a file nothing records goes again.
    builds_.UnpublishUnrecorded(begun->package, **published);
  }
  if (st.code() == StatusCode::kRejected) ScheduleSwarmPassLocked();
  if (!st.ok()) return st;
  if (fault_raised) {
    faults_.Raised();
    drones_.FaultRaised();
  }
  // An OOM kill among other builds says the drone's memory is full now.
  queue_.BuildEnded(name, result.outcome == api::kBuildFailed && result.oom_killed);
  Duration ignored{0};
  if (Status s = drones_.Reconcile(name, &ignored); !s.ok()) return s;
  // The reply carries the drone's next build at once; what the end changed
  // for everyone else (dependents ready, status) goes to the swarm pass.
  if (Status s = queue_.DispatchTo(name); !s.ok()) return s;
  ScheduleSwarmPassLocked();
  return builds_.AssignmentsFor(name);
}

Status SwarmController::RejectUpload(const std::string& name, const std::string& assignment,
                                     const std::string& why) {
  std::lock_guard<std::mutex> l(mu_);
  if (Status st = builds_.RejectUpload(name, assignment, why); !st.ok()) return st;
  ScheduleSwarmPassLocked();
  return Status::Ok();
}

Status SwarmController::StoreBuildLog(const std::string& name, const std::string& assignment,
                                      const std::string& log) {
  auto package = CurrentAssignment(name, assignment);
  if (!package.ok()) return package.status();
  // Written outside the lock: a megabyte must not hold up heartbeats.
  return builds_.KeepLog(*package, log);
}

Result<std::string> SwarmController::BuildLog(const std::string& package) {
  return builds_.ReadLog(package);
}

Result<api::Drone> SwarmController::DroneVerbLocked(
    const std::string& name, const std::function<Status(Changes&)>& change) {
  if (!state_.swarm) return NotFound(kNoSwarmYet);
  if (!state_.RosterMember(name)) return NotFound("drone \"" + name + "\" is not in the roster");
  Changes changes;
  if (Status s = change(changes); !s.ok()) return s;
  if (Status s = writer_.Commit(std::move(changes)); !s.ok()) return s;
  ScheduleSwarmPassLocked();
  return DroneLocked(*state_.RosterMember(name));
}

Result<api::Drone> SwarmController::Cordon(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  return DroneVerbLocked(name, [&](Changes& c) {
    api::DroneStatus& s = c.Drone(state_, name);
    if (s.cordoned) return Status::Ok();
    s.cordoned = true;
    c.Event(api::kKindDrone, name, api::events::kNormal, api::events::kDroneCordoned,
            name + " cordoned: no new work; what it runs finishes");
    return Status::Ok();
  });
}

Result<api::Drone> SwarmController::Uncordon(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  return DroneVerbLocked(name, [&](Changes& c) {
    api::DroneStatus& s = c.Drone(state_, name);
    if (!s.cordoned) return Status::Ok();
    s.cordoned = false;
    c.Event(api::kKindDrone, name, api::events::kNormal, api::events::kDroneUncordoned,
            name + " uncordoned: takes work again");
    return Status::Ok();
  });
}

Result<api::Drone> SwarmController::Drain(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  return DroneVerbLocked(name, [&](Changes& c) {
    c.Drone(state_, name).cordoned = true;
    const size_t before = c.packages.size();
    builds_.Reclaim(name, "drained by swarmctl drain", true, c);
    c.Event(api::kKindDrone, name, api::events::kNormal, api::events::kDroneDrained,
            name + " drained: cordoned, " + std::to_string(c.packages.size() - before) +
                " build(s) taken back");
    return Status::Ok();
  });
}

Result<api::Drone> SwarmController::Unground(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  return DroneVerbLocked(name, [&](Changes& c) {
    faults_.Forgive(name, api::reason::kUngroundedByHand, "ungrounded by swarmctl unground", c);
    return Status::Ok();
  });
}

Result<FreshResult> SwarmController::RequestFresh() {
  std::lock_guard<std::mutex> l(mu_);
  if (!state_.swarm) return NotFound(kNoSwarmYet);
  // Milliseconds, so two requests in one second are still two requests.
  const WallTime now = clock_->Now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::string stamp = FormatTime(now);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms.count()));
  stamp.insert(stamp.size() - 1, frac);
  Changes changes;
  changes.Swarm(state_).metadata.annotations[api::kFreshAnnotation] = stamp;
  changes.Event(api::kKindSwarm, state_.swarm->metadata.name, api::events::kNormal,
                api::events::kFreshRequested,
                "fresh start requested: re-sync every member, rediscover the queue (" +
                    std::to_string(state_.packages.size()) +
                    " packages discarded), clear every grounding");
  if (Status st = writer_.Commit(std::move(changes)); !st.ok()) return st;
  FreshResult out;
  out.requested_at = stamp;
  for (const auto& d : state_.swarm->spec.drones) out.members.push_back(d.name);
  out.queued_packages = static_cast<int>(state_.packages.size());
  EnqueueLocked(KeysLocked());
  return out;
}

Result<int> SwarmController::VerifyBinhost(bool full) {
  if (!binhost_) return 0;
  Binhost::PublishedList published;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& p : state_.packages) {
      if (p.phase == api::kPhaseComplete && p.binpkg) published.emplace_back(p.name, *p.binpkg);
    }
  }
  // Hashing, outside the lock.
  std::vector<BinhostProblem> problems = binhost_->binhost().Verify(published, full);
  if (problems.empty()) return 0;
  std::lock_guard<std::mutex> l(mu_);
  auto requeued = builds_.RequeueCorrupt(problems, published);
  if (requeued.ok() && *requeued > 0) ScheduleSwarmPassLocked();
  return requeued;
}

Status SwarmController::FlushBinhostIndex() {
  if (!binhost_) return Status::Ok();
  return binhost_->Flush();
}

}  // namespace swarm::controller

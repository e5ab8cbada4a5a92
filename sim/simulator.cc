#include "sim/simulator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <set>

#include "api/cpv.h"
#include "api/quantity.h"
#include "base/sha256.h"
#include "controller/binhost/binhost.h"
#include "controller/core/swarm_controller.h"
#include "controller/store/store.h"
#include "node-agent/build_failure.h"

namespace swarm::sim {
namespace {

namespace fs = std::filesystem;
using controller::Binhost;
using controller::BuildOutputs;
using controller::Store;
using controller::SwarmController;

// Work below this many CPU-seconds counts as done (floating point).
constexpr double kEpsilon = 1e-6;
// What a drone without a memory label reports: 1 PiB.
constexpr int64_t kUnlimitedMemory = int64_t{1} << 50;

// A directory removed with everything in it when this goes.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/swarm-sim.XXXXXX";
    if (char* made = ::mkdtemp(tmpl.data())) path_ = made;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What emerge prints when the kernel's OOM killer takes the compiler (as in
// hack/fake-portage/emerge, itself checked against real captures): the
// agent's real classifier reads it.
std::string OomOutput(const std::string& cpv) {
  const std::string pn = api::PackageKey(cpv).substr(api::PackageKey(cpv).find('/') + 1);
  return "[2/2] x86_64-pc-linux-gnu-g++ -c ../src/" + pn + "_big.cc -o " + pn + "_big.o\n" +
         "FAILED: " + pn + "_big.o\n" +
         "x86_64-pc-linux-gnu-g++: fatal error: Killed signal terminated program cc1plus\n"
         "compilation terminated.\n"
         "ninja: build stopped: subcommand failed.\n"
         " * ERROR: " + cpv + "::gentoo failed (compile phase):\n"
         " *   ninja -v -j16 -l0 failed\n";
}

// What emerge prints when the disk fills up mid-build: a DroneResources
// failure that is not an OOM kill.
std::string DiskFullOutput(const std::string& cpv) {
  return ">>> Compiling source in /var/tmp/portage/" + cpv + "/work ...\n"
         "/usr/lib/gcc/x86_64-pc-linux-gnu/14/../../../../x86_64-pc-linux-gnu/bin/ld: final link "
         "failed: No space left on device\n"
         "collect2: error: ld returned 1 exit status\n"
         " * ERROR: " + cpv + "::gentoo failed (compile phase):\n"
         " *   emake failed\n";
}

struct Running {
  api::BuildAssignment assignment;
  const WorkPackage* work = nullptr;
  double remaining = 0;  // CPU-seconds left
  double stop_at = 0;    // ends (failed) when remaining reaches this; 0: runs to the end
  bool oom = false;      // the failure at stop_at is an OOM kill, else a full disk
  SteadyTime started;
  double cpu_time = 0;  // seconds of cores kept busy (what rusage would say)
};

struct Drone {
  SimDroneSpec spec;
  SteadyTime next_beat;
  std::vector<Running> running;
  DroneStats stats;
  double actual_speed = 1;  // spec.speed, divided by a slow fault's factor
  double flaky = 0;         // share of its builds that fail with DroneResources
  std::optional<Fault> leaves;  // kill or return, at leaves->at
  bool gone = false;

  // CPU-seconds per second each running build progresses at: the cores are
  // shared equally, a build uses at most its parallelism.
  double Rate(const Running& r) const {
    const double share = static_cast<double>(spec.cores) / static_cast<double>(running.size());
    return std::min(static_cast<double>(r.work->parallelism), share) * actual_speed;
  }
};

class Simulation {
 public:
  Simulation(const api::Swarm& swarm, const Workload& workload,
             std::vector<SimDroneSpec> drones, const SimOptions& options)
      : swarm_(swarm), workload_(workload), options_(options) {
    for (const auto& p : workload_.packages) work_[p.name] = &p;
    for (auto& d : drones) {
      Drone drone;
      drone.spec = std::move(d);
      drone.actual_speed = drone.spec.speed;
      drones_.push_back(std::move(drone));
    }
    rng_.seed(options.seed);
  }

  Result<SimResult> Run();

 private:
  double Seconds(SteadyTime t) const {
    return std::chrono::duration<double>(t - start_).count();
  }
  Status Beat(Drone& d);
  Status Answer(const api::Action& action, Drone& d);
  void Take(Drone& d, const std::vector<api::BuildAssignment>& held);
  Status Finish(Drone& d, size_t i);
  std::optional<SteadyTime> NextBuildEnd() const;
  void Progress(Duration dt);
  Result<bool> Done(SimResult& out);
  Status ApplyFaults();
  void Trace(const Drone& d, const char* event, const std::string& package) {
    if (options_.trace) {
      *options_.trace << Fixed3(Seconds(clock_.SteadyNow())) << " " << d.spec.name << " " << event
                      << " " << package << " " << d.running.size() << "\n";
    }
  }
  static std::string Fixed3(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
  }
  Status Leave(Drone& d);
  // Whose emerge.log discovery reads: the discoverer's, as if it had built
  // each package alone; a discoverer without cores, the first building drone.
  const SimDroneSpec& HistoryDrone() const;

  api::Swarm swarm_;
  const Workload& workload_;
  const SimOptions options_;
  std::map<std::string, const WorkPackage*> work_;
  std::vector<Drone> drones_;

  FakeClock clock_;
  SteadyTime start_;
  ScratchDir scratch_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Binhost> binhost_;
  std::unique_ptr<SwarmController> controller_;
  double last_end_seconds_ = 0;
  int builds_ = 0, failures_ = 0, ooms_ = 0;
  size_t successes_ = 0;  // successes the controller took
  std::map<std::string, int> built_;  // successes the controller took, by package
  std::mt19937_64 rng_;
};

const SimDroneSpec& Simulation::HistoryDrone() const {
  const std::string& discoverer = swarm_.spec.queue.discover_on;
  for (const auto& d : drones_) {
    if (d.spec.name == discoverer && d.spec.builds) return d.spec;
  }
  for (const auto& d : drones_) {
    if (d.spec.builds) return d.spec;
  }
  return drones_.front().spec;
}

Status Simulation::Leave(Drone& d) {
  d.gone = true;
  std::vector<Running> running = std::move(d.running);
  d.running.clear();
  for (const auto& r : running) {
    Trace(d, d.leaves->kind == Fault::Kind::kKill ? "lost" : "returned", r.assignment.package);
  }
  if (d.leaves->kind == Fault::Kind::kKill) return Status::Ok();
  // SIGTERM: the agent returns what it was building before it exits.
  for (const auto& r : running) {
    api::BuildResult result;
    result.assignment = r.assignment.id;
    result.package = r.assignment.package;
    result.outcome = api::kBuildReturned;
    result.message = "agent stopping (SIGTERM)";
    result.duration_ms =
        std::chrono::duration_cast<Duration>(clock_.SteadyNow() - r.started).count();
    auto held = controller_->ReportBuildResult(d.spec.name, result);
    if (!held.ok() && held.status().code() != StatusCode::kConflict &&
        held.status().code() != StatusCode::kRejected) {
      return held.status();
    }
  }
  return Status::Ok();
}

Status Simulation::ApplyFaults() {
  for (auto& d : drones_) {
    if (!d.gone && d.leaves && clock_.SteadyNow() >= start_ + d.leaves->at) {
      if (Status st = Leave(d); !st.ok()) return st;
    }
  }
  return Status::Ok();
}

Status Simulation::Answer(const api::Action& action, Drone& d) {
  api::ActionResult r;
  r.id = action.id;
  r.type = action.type;
  r.succeeded = true;
  r.message = "simulated";
  r.deploy_version = swarm_.spec.deploy.version;
  r.tree_revision = swarm_.spec.portage.tree_revision;
  if (action.type == api::kActionDiscover) {
    r.tree_revision = action.tree_revision;
    r.deploy_version = action.deploy_version;
    const SimDroneSpec& history = HistoryDrone();
    for (const auto& p : workload_.packages) {
      const double alone =
          p.cpu_seconds / (std::min<double>(p.parallelism, history.cores) * history.speed);
      const bool wall = options_.history != SimOptions::History::kNone;
      const int64_t ms = wall ? static_cast<int64_t>(alone * 1000) : 0;
      // The cores it kept busy over that time, and the cores it had.
      const bool cpu = options_.history == SimOptions::History::kWallAndCpu;
      const int64_t cpu_ms = cpu ? static_cast<int64_t>(p.cpu_seconds / history.speed * 1000) : 0;
      r.packages.push_back({p.name, p.deps, ms, cpu_ms, cpu ? history.cores : 0});
    }
  }
  Status st = controller_->ReportActionResult(d.spec.name, r);
  // Conflict: the controller no longer wants it (the spec moved); not an error.
  if (!st.ok() && st.code() != StatusCode::kConflict) return st;
  return Status::Ok();
}

void Simulation::Take(Drone& d, const std::vector<api::BuildAssignment>& held) {
  // Builds the controller no longer lists are stopped, as the agent does.
  std::erase_if(d.running, [&](const Running& r) {
    return std::none_of(held.begin(), held.end(),
                        [&](const api::BuildAssignment& a) { return a.id == r.assignment.id; });
  });
  for (const auto& a : held) {
    const bool known = std::any_of(d.running.begin(), d.running.end(),
                                   [&](const Running& r) { return r.assignment.id == a.id; });
    if (known) continue;
    auto w = work_.find(a.package);
    if (w == work_.end()) continue;
    Running r;
    r.assignment = a;
    r.work = w->second;
    r.remaining = w->second->cpu_seconds;
    r.started = clock_.SteadyNow();
    // Builds on one drone share its memory: one that does not fit with
    // those running is OOM-killed halfway.
    int64_t memory = w->second->peak_memory_bytes;
    for (const auto& other : d.running) memory += other.work->peak_memory_bytes;
    if (d.spec.memory_bytes > 0 && memory > d.spec.memory_bytes) {
      r.stop_at = std::max(kEpsilon * 2, w->second->cpu_seconds / 2);
      r.oom = true;
    } else if (d.flaky > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < d.flaky) {
      r.stop_at = std::max(kEpsilon * 2, w->second->cpu_seconds / 2);
    }
    d.running.push_back(r);
    Trace(d, "start", a.package);
    ++d.stats.builds;
    ++builds_;
  }
}

Status Simulation::Beat(Drone& d) {
  api::DroneReport report;
  report.deploy_version = swarm_.spec.deploy.version;
  report.tree_revision = swarm_.spec.portage.tree_revision;
  report.health = "HEALTHY";
  report.resources.cores = d.spec.cores;
  // Without a memory label a drone is not limited: it says so with a size
  // no package needs (the controller reads 0 as unknown, which fits nothing).
  report.resources.memory_bytes = d.spec.memory_bytes > 0 ? d.spec.memory_bytes : kUnlimitedMemory;
  report.agent_version = "swarm-sim";
  for (const auto& r : d.running) {
    report.builds.push_back({r.assignment.id, r.assignment.package, api::kActionRunning});
  }
  auto reply = controller_->Heartbeat(d.spec.name, report);
  if (!reply.ok()) return reply.status();
  d.next_beat = clock_.SteadyNow() + reply->heartbeat_interval;
  for (const auto& action : reply->actions) {
    if (Status st = Answer(action, d); !st.ok()) return st;
  }
  Take(d, reply->assignments);
  return Status::Ok();
}

Status Simulation::Finish(Drone& d, size_t i) {
  const Running r = d.running[i];
  d.running.erase(d.running.begin() + static_cast<std::ptrdiff_t>(i));
  Trace(d, r.stop_at > 0 ? "failed" : "done", r.assignment.package);
  const std::string& cpv = r.assignment.package;
  api::BuildResult result;
  result.assignment = r.assignment.id;
  result.package = cpv;
  result.duration_ms = std::chrono::duration_cast<Duration>(clock_.SteadyNow() - r.started).count();
  result.cpu_ms = static_cast<int64_t>(r.cpu_time * 1000);
  if (r.stop_at > 0) {
    const agent::BuildFailure f =
        agent::ClassifyBuildFailure(r.oom ? OomOutput(cpv) : DiskFullOutput(cpv), 1, false, 0);
    result.outcome = api::kBuildFailed;
    result.failure_class = agent::FailureClassName(f.failure_class);
    result.phase = f.phase;
    result.message = f.reason;
    result.log_tail = f.log_tail;
    result.oom_killed = f.out_of_memory;
    ++d.stats.failures;
    ++failures_;
    if (r.oom) {
      ++d.stats.ooms;
      ++ooms_;
    }
  } else {
    // The binary package, uploaded before the success is reported.
    const std::string key = api::PackageKey(cpv);
    const std::string path = key + "/" + cpv.substr(cpv.find('/') + 1) + "-1.gpkg.tar";
    const std::string bytes = "simulated binary package of " + cpv + "\n";
    auto upload = binhost_->BeginUpload(r.assignment.id, path);
    if (!upload.ok()) return upload.status();
    if (Status st = (*upload)->Write(bytes.data(), bytes.size()); !st.ok()) return st;
    auto ref = (*upload)->Finish(Sha256Hex(bytes));
    if (!ref.ok()) return ref.status();
    result.outcome = api::kBuildSucceeded;
    result.message = "built " + path;
    result.binpkg = *ref;
  }
  const bool succeeded = result.outcome == api::kBuildSucceeded;
  auto held = controller_->ReportBuildResult(d.spec.name, result);
  if (held.ok()) last_end_seconds_ = Seconds(clock_.SteadyNow());
  if (held.ok() && succeeded) {
    ++successes_;
    ++built_[cpv];
  }
  if (!held.ok()) {
    // Taken back meanwhile, or refused: the agent drops it.
    if (held.status().code() == StatusCode::kConflict ||
        held.status().code() == StatusCode::kRejected) {
      return Status::Ok();
    }
    return held.status();
  }
  Take(d, *held);
  return Status::Ok();
}

std::optional<SteadyTime> Simulation::NextBuildEnd() const {
  std::optional<double> soonest;  // seconds from now
  for (const auto& d : drones_) {
    for (const auto& r : d.running) {
      const double left = std::max(0.0, r.remaining - r.stop_at) / d.Rate(r);
      if (!soonest || left < *soonest) soonest = left;
    }
  }
  if (!soonest) return std::nullopt;
  // Rounded up to the clock's millisecond, at least one; never past the
  // run's limit (the arithmetic stays far from overflow).
  const double cap_ms = std::chrono::duration<double, std::milli>(options_.max_virtual_time).count() + 1;
  const auto ms = std::max<int64_t>(
      1, static_cast<int64_t>(std::min(cap_ms, std::ceil(*soonest * 1000 - 1e-9))));
  return clock_.SteadyNow() + Duration(ms);
}

void Simulation::Progress(Duration dt) {
  const double seconds = std::chrono::duration<double>(dt).count();
  for (auto& d : drones_) {
    if (d.running.empty()) continue;
    d.stats.busy_seconds += seconds;
    for (auto& r : d.running) {
      const double done = d.Rate(r) * seconds;
      r.remaining -= done;
      r.cpu_time += done / d.actual_speed;
      d.stats.cpu_seconds += done;
    }
  }
}

Result<bool> Simulation::Done(SimResult& out) {
  auto packages = controller_->ListPackages();
  if (!packages.ok()) return packages.status();
  if (packages->empty()) return false;  // not discovered yet
  out.phases.clear();
  // Ended, or waiting on a package that ended without being built: nothing
  // will change it any more.
  std::set<std::string> dead;
  for (const auto& p : *packages) {
    ++out.phases[p.phase];
    if (p.phase == api::kPhaseFailed || p.phase == api::kPhaseBlocked) dead.insert(p.name);
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& p : *packages) {
      if (p.phase != api::kPhaseNeeded || dead.count(p.name)) continue;
      for (const auto& dep : p.dependencies) {
        if (dead.count(dep)) {
          dead.insert(p.name);
          grew = true;
          break;
        }
      }
    }
  }
  for (const auto& p : *packages) {
    if (p.phase != api::kPhaseComplete && !dead.count(p.name)) return false;
  }
  return true;
}

Result<SimResult> Simulation::Run() {
  if (scratch_.path().empty()) return Unavailable("cannot make a scratch directory for the run");
  auto store = Store::Open(scratch_.path() + "/state.db", controller::Durability::kThrowaway);
  if (!store.ok()) return store.status();
  store_ = std::move(store).value();
  auto binhost = Binhost::Open(scratch_.path() + "/binhost");
  if (!binhost.ok()) return binhost.status();
  binhost_ = std::move(binhost).value();
  controller_ = std::make_unique<SwarmController>(store_.get(), &clock_,
                                                  BuildOutputs{binhost_.get(), ""});
  if (Status st = controller_->Start(); !st.ok()) return st;
  if (auto applied = controller_->Apply(swarm_); !applied.ok()) return applied.status();
  start_ = clock_.SteadyNow();
  // The agents start a few milliseconds apart, as real ones never start at once.
  for (size_t i = 0; i < drones_.size(); ++i) drones_[i].next_beat = start_ + Duration(7 * i);
  for (const auto& f : options_.faults) {
    auto d = std::find_if(drones_.begin(), drones_.end(),
                          [&](const Drone& d) { return d.spec.name == f.drone && d.spec.builds; });
    if (d == drones_.end()) {
      return InvalidArgument("--fault: no drone named " + f.drone + " builds in the roster");
    }
    switch (f.kind) {
      case Fault::Kind::kKill:
      case Fault::Kind::kReturn:
        if (!d->leaves || f.at < d->leaves->at) d->leaves = f;
        break;
      case Fault::Kind::kFlaky:
        d->flaky = f.value;
        break;
      case Fault::Kind::kSlow:
        d->actual_speed = d->spec.speed / f.value;
        break;
    }
  }

  SimResult out;
  out.lower_bound = ComputeLowerBound(workload_, [&] {
    std::vector<SimDroneSpec> specs;
    for (const auto& d : drones_) specs.push_back(d.spec);
    return specs;
  }());
  if (std::any_of(drones_.begin(), drones_.end(), [](const Drone& d) { return d.leaves; })) {
    std::vector<SimDroneSpec> staying;
    for (const auto& d : drones_) {
      if (!d.leaves && d.spec.builds) staying.push_back(d.spec);
    }
    out.lower_bound_remaining = ComputeLowerBound(workload_, staying);
  }
  const SteadyTime limit = start_ + options_.max_virtual_time;
  for (;;) {
    if (Status st = ApplyFaults(); !st.ok()) return st;
    controller_->RunDue();
    // Builds that end now, then heartbeats due now.
    bool ended = false;
    for (auto& d : drones_) {
      for (size_t i = 0; i < d.running.size();) {
        if (d.running[i].remaining - d.running[i].stop_at <= kEpsilon) {
          if (Status st = Finish(d, i); !st.ok()) return st;
          ended = true;
          i = 0;  // the list changed
        } else {
          ++i;
        }
      }
    }
    bool beat = false;
    for (auto& d : drones_) {
      if (!d.gone && d.next_beat <= clock_.SteadyNow()) {
        if (Status st = Beat(d); !st.ok()) return st;
        beat = true;
      }
    }
    // The queue can only be done when every package succeeded, or when no
    // drone runs anything (the rest Failed or Blocked): only then is it read.
    const bool idle = std::all_of(drones_.begin(), drones_.end(),
                                  [](const Drone& d) { return d.running.empty(); });
    if (((ended || beat) && idle) || successes_ == workload_.packages.size()) {
      auto done = Done(out);
      if (!done.ok()) return done.status();
      if (*done) {
        out.finished = true;
        break;
      }
    }
    // The next moment anything happens.
    std::optional<SteadyTime> next = NextBuildEnd();
    for (const auto& d : drones_) {
      if (d.gone) continue;
      if (!next || d.next_beat < *next) next = d.next_beat;
      if (d.leaves && (!next || start_ + d.leaves->at < *next)) next = start_ + d.leaves->at;
    }
    if (auto due = controller_->NextDueAt(); due && (!next || *due < *next)) next = due;
    if (!next) {
      out.unfinished_why = "nothing is left to happen, yet the queue is not done";
      break;
    }
    if (*next > limit) {
      out.unfinished_why = "still not done after " + api::FormatDuration(options_.max_virtual_time) +
                           " of virtual time";
      break;
    }
    const Duration dt = std::max(Duration(0), std::chrono::duration_cast<Duration>(
                                                  *next - clock_.SteadyNow()));
    Progress(dt);
    clock_.Advance(dt);
  }
  if (!out.finished) {
    if (auto done = Done(out); !done.ok()) return done.status();
  }
  out.makespan_seconds = last_end_seconds_;
  for (const auto& [name, n] : built_) out.built_twice += n > 1 ? 1 : 0;
  out.policy = swarm_.spec.policy.scheduling;
  out.builds = builds_;
  out.failures = failures_;
  out.ooms = ooms_;
  auto events = controller_->ListEvents({api::kKindDrone, "", 1000000});
  if (events.ok()) {
    for (const auto& e : *events) out.groundings += e.reason == "DroneGrounded" ? e.count : 0;
  }
  for (auto& d : drones_) {
    d.stats.name = d.spec.name;
    d.stats.idle_seconds = std::max(0.0, out.makespan_seconds - d.stats.busy_seconds);
    out.drones.push_back(d.stats);
  }
  return out;
}

}  // namespace

Result<std::vector<SimDroneSpec>> SimDrones(const api::Swarm& swarm) {
  if (!swarm.spec.queue.packages.empty()) {
    return InvalidArgument("spec.queue.packages is not simulated: list those packages in the workload");
  }
  std::vector<SimDroneSpec> out;
  bool any_builds = false;
  for (const auto& member : swarm.spec.drones) {
    SimDroneSpec d;
    d.name = member.name;
    d.builds = api::HasRole(member, api::kRoleBuild);
    // A discoverer that does not build is simulated too: it heartbeats and
    // answers discovery.
    if (!d.builds && member.name != swarm.spec.queue.discover_on) continue;
    any_builds = any_builds || d.builds;
    const std::string at = "drone " + member.name + ": label ";
    char* end = nullptr;
    auto cores = member.labels.find(api::kLabelCores);
    if (cores == member.labels.end() && d.builds) return InvalidArgument(at + "cores is required");
    if (cores != member.labels.end()) {
      const long n = std::strtol(cores->second.c_str(), &end, 10);
      if (end == cores->second.c_str() || *end != '\0' || n < 1 || n > 4096) {
        return InvalidArgument(at + "cores \"" + cores->second + "\" is not a count from 1 to 4096");
      }
      d.cores = static_cast<int>(n);
    }
    if (auto memory = member.labels.find(api::kLabelMemory); memory != member.labels.end()) {
      auto bytes = api::ParseMemory(memory->second);
      if (!bytes.ok()) return InvalidArgument(at + "memory: " + bytes.status().message());
      d.memory_bytes = *bytes;
    }
    if (auto speed = member.labels.find(api::kLabelSpeed); speed != member.labels.end()) {
      auto s = api::ParseSpeed(speed->second);
      if (!s.ok()) return InvalidArgument(at + "speed: " + s.status().message());
      d.speed = *s;
    }
    out.push_back(d);
  }
  if (!any_builds) return InvalidArgument("the Swarm's roster has no drone that builds");
  return out;
}

LowerBound ComputeLowerBound(const Workload& w, const std::vector<SimDroneSpec>& drones) {
  LowerBound lb;
  double capacity = 0;
  for (const auto& d : drones) {
    if (d.builds) capacity += d.cores * d.speed;
  }
  double total = 0;
  std::map<std::string, size_t> index;
  std::vector<double> best(w.packages.size(), 0);  // each package alone on its best drone
  for (size_t i = 0; i < w.packages.size(); ++i) {
    const WorkPackage& p = w.packages[i];
    index[p.name] = i;
    total += p.cpu_seconds;
    double fastest = -1;
    for (const auto& d : drones) {
      if (!d.builds) continue;
      const double t = p.cpu_seconds / (std::min(p.parallelism, d.cores) * d.speed);
      if (fastest < 0 || t < fastest) fastest = t;
    }
    best[i] = std::max(0.0, fastest);
  }
  lb.work_bound_seconds = capacity > 0 ? total / capacity : 0;
  // The longest chain, in an order where dependencies come first (Kahn's;
  // the workload has no cycle), without recursion however deep it is.
  std::vector<std::vector<size_t>> dependents(w.packages.size());
  std::vector<size_t> waiting(w.packages.size(), 0);
  for (size_t i = 0; i < w.packages.size(); ++i) {
    for (const auto& dep : w.packages[i].deps) {
      dependents[index.at(dep)].push_back(i);
      ++waiting[i];
    }
  }
  std::vector<double> finish(w.packages.size(), 0);
  std::vector<size_t> ready;
  for (size_t i = 0; i < w.packages.size(); ++i) {
    if (waiting[i] == 0) ready.push_back(i);
  }
  while (!ready.empty()) {
    const size_t i = ready.back();
    ready.pop_back();
    finish[i] += best[i];
    lb.critical_path_seconds = std::max(lb.critical_path_seconds, finish[i]);
    for (size_t j : dependents[i]) {
      finish[j] = std::max(finish[j], finish[i]);
      if (--waiting[j] == 0) ready.push_back(j);
    }
  }
  return lb;
}

Result<Fault> ParseFault(const std::string& text) {
  const std::string expected = "--fault " + text +
                               ": expected kill:DRONE@TIME, return:DRONE@TIME, "
                               "flaky:DRONE:SHARE (0 to 1) or slow:DRONE:FACTOR (1 to 1000)";
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return InvalidArgument(expected);
  const std::string kind = text.substr(0, colon);
  const std::string rest = text.substr(colon + 1);
  Fault f;
  if (kind == "kill" || kind == "return") {
    f.kind = kind == "kill" ? Fault::Kind::kKill : Fault::Kind::kReturn;
    const size_t at = rest.rfind('@');
    if (at == std::string::npos || at == 0) return InvalidArgument(expected);
    f.drone = rest.substr(0, at);
    auto when = api::ParseDuration(rest.substr(at + 1));
    if (!when.ok()) return InvalidArgument(expected + "; TIME: " + when.status().message());
    f.at = *when;
    return f;
  }
  if (kind != "flaky" && kind != "slow") return InvalidArgument(expected);
  f.kind = kind == "flaky" ? Fault::Kind::kFlaky : Fault::Kind::kSlow;
  const size_t sep = rest.rfind(':');
  if (sep == std::string::npos || sep == 0) return InvalidArgument(expected);
  f.drone = rest.substr(0, sep);
  const std::string number = rest.substr(sep + 1);
  char* end = nullptr;
  f.value = number.empty() ? -1 : std::strtod(number.c_str(), &end);
  const bool whole = !number.empty() && end == number.c_str() + number.size();
  const bool in_range = f.kind == Fault::Kind::kFlaky ? (f.value >= 0 && f.value <= 1)
                                                      : (f.value >= 1 && f.value <= 1000);
  if (!whole || !in_range) return InvalidArgument(expected);
  return f;
}

Result<SimResult> Simulate(const api::Swarm& swarm, const Workload& workload,
                           const SimOptions& options) {
  api::Swarm s = swarm;
  if (!options.policy.empty()) s.spec.policy.scheduling = options.policy;
  if (s.spec.queue.discover_on.empty()) {
    for (const auto& member : s.spec.drones) {
      if (api::HasRole(member, api::kRoleBuild)) {
        s.spec.queue.discover_on = member.name;
        break;
      }
    }
  }
  auto drones = SimDrones(s);
  if (!drones.ok()) return drones.status();
  Simulation sim(s, workload, std::move(drones).value(), options);
  return sim.Run();
}

}  // namespace swarm::sim

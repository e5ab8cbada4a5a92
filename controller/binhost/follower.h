#pragma once

// Keeps the binhost in step with the committed queue, told of every commit
// (a CommitListener): a staged upload is discarded once its assignment ends,
// and the Packages index lists exactly the published packages (rewritten off
// the controller's lock by BinhostIndexWriter).
// Thread safety: the listener calls come under the controller's lock.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "controller/binhost/binhost.h"
#include "controller/binhost/index_writer.h"
#include "controller/state/writer.h"

namespace swarm::controller {

class BinhostFollower final : public CommitListener {
 public:
  // `binhost` is not owned and outlives this; the index is rewritten
  // `debounce` after a change by a thread of its own when `index_thread`,
  // else only by Flush (tests).
  BinhostFollower(Binhost* binhost, Clock* clock, Duration debounce, bool index_thread);

  Binhost& binhost() { return *binhost_; }
  // The index lists exactly the published packages of `queue` from now on (a start).
  void Reset(const PackageQueue& queue);
  // Before a file is published at `path`: an index on disk that still lists
  // `path` is written first without it (BinhostIndexWriter::FlushIfListed).
  Status FlushIfListed(const std::string& path) { return index_->FlushIfListed(path); }
  Status Flush() { return index_->Flush(); }

  void PackageChanged(const api::Package& before, const api::Package& after) override;
  void QueueReplaced(const std::vector<api::Package>& before, const PackageQueue& after) override;
  // What /binhost/current serves follows status.release.promoted and the
  // promoted release's record: switched once per commit.
  void ReleasesChanged(const std::vector<api::Release>& after) override;
  void SwarmChanged(const api::Swarm& after) override;
  void Committed() override;
  void Loaded(const SwarmState& state) override;
  // Whether a file of the live tree may have become garbage since the last
  // call (a queue replaced, a package's file replaced or dropped; true after
  // a start): the releases' pass then collects it.
  bool TakeGarbageHint() {
    const bool hint = garbage_hint_;
    garbage_hint_ = false;
    return hint;
  }

 private:
  void Discard(const std::string& assignment);

  Binhost* const binhost_;
  std::unique_ptr<BinhostIndexWriter> index_;
  std::map<std::string, int64_t> index_timestamps_;  // by release
  std::string promoted_;
  bool current_changed_ = false;
  bool garbage_hint_ = true;
};

}  // namespace swarm::controller

#pragma once

// Keeps the binhost's `Packages` index in step with what is published, away
// from the controller's lock: the controller hands over each change (O(1),
// under its lock), and a thread of the writer's own rewrites the index
// (stat of every listed file, format, fsync, rename: O(published)),
// debounced, so a burst of completions costs one rewrite.
//
// The index never lists a path with another file's size or digest: before a
// file is published at a path the index on disk still lists, the controller
// calls FlushIfListed, which writes the index without it first.
//
// Thread safety: every method may be called from any thread.

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "controller/binhost/index.h"

namespace swarm::controller {

class BinhostIndexWriter {
 public:
  // Writes `dir`/Packages (WriteBinhostIndex). With `background`, a thread
  // writes pending changes `debounce` after the first of them; without, only
  // Flush and FlushIfListed write (tests, tools). `clock` must outlive it.
  BinhostIndexWriter(std::string dir, Clock* clock, Duration debounce, bool background);
  // Writes what is pending, then stops the thread.
  ~BinhostIndexWriter();
  BinhostIndexWriter(const BinhostIndexWriter&) = delete;
  BinhostIndexWriter& operator=(const BinhostIndexWriter&) = delete;

  // The whole listing from now on (a restart, a new queue).
  void Reset(std::vector<PublishedPackage> all);
  // `p` is listed (again, or with another file).
  void Put(PublishedPackage p);
  // `package` (cat/pkg-ver) is no longer listed.
  void Remove(const std::string& package);

  // Writes pending changes now, on the caller's thread. Ok when nothing was
  // pending; a failed write stays pending and is retried.
  Status Flush();
  // When the index on disk lists `path`, writes the pending changes now
  // (waiting for a write in progress first), so that a new file may be
  // published there. Cheap when it does not.
  Status FlushIfListed(const std::string& path);
  // Whether a change waits to be written (or the last write failed).
  bool pending() const;

 private:
  void Loop();
  // Takes the pending changes, applies them to what is written, writes.
  // Holds write_mu_.
  Status WriteLocked();

  const std::string dir_;
  Clock* const clock_;
  const Duration debounce_;

  mutable std::mutex mu_;  // guards the pending changes and stop_
  std::condition_variable cv_;
  std::optional<std::vector<PublishedPackage>> reset_;
  std::map<std::string, std::optional<PublishedPackage>> changes_;  // by package
  bool failed_ = false;  // the last write failed: write again
  bool stop_ = false;

  std::mutex write_mu_;  // one write at a time; guards what follows
  std::map<std::string, PublishedPackage> listed_;  // by package, as last written
  std::set<std::string> listed_paths_;              // paths in the index on disk

  std::thread thread_;
};

}  // namespace swarm::controller

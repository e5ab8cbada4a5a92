#pragma once

// The binhost's releases (docs/operations.md, "Releases"), decided as pure
// functions of the queue, the releases and the Swarm: whether the queue
// wants a release cut and what it holds, what it is named, what automatic
// promotion promotes, what pruning removes, the Swarm's Released condition,
// and what changed between two releases.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "api/types.h"
#include "base/clock.h"

namespace swarm::controller::reconcilers {

// Identifies a queue's published set: a digest of the stamp (tree, deploy)
// and each Complete package's name and file. One set is released once.
std::string ReleaseQueueDigest(const std::vector<api::Package>& queue,
                               const api::QueueSummary& stamp);

// Whether `queue` is built whole: at least one package, every one Complete
// with its binary package.
bool QueueReleasable(const std::vector<api::Package>& queue);

// What a new release holds: every Complete package of `queue` (from the
// live tree), and every package of `previous` (if any) that none of them
// supersedes (from that release): a package of the same cat/pn and SLOT
// (any slot when either entry names none). `excluded` (name + " " +
// sha256) are left out: an earlier release's files that failed. Sorted by
// name; `from_previous[i]` says whether packages[i] comes from `previous`.
struct ReleaseContents {
  std::vector<api::ReleasePackage> packages;
  std::vector<bool> from_previous;
};
ReleaseContents PlanReleaseContents(const std::vector<api::Package>& queue,
                                    const api::Release* previous,
                                    const std::set<std::string>& excluded);

// "2026-12-06T0412Z-16b3ce4e": the UTC minute of `now` and the tree
// revision's first 8 characters (only [A-Za-z0-9_.-] of it), with "-2",
// "-3"... when a release of that name exists among `taken`.
std::string ReleaseName(WallTime now, const std::string& tree_revision,
                        const std::set<std::string>& taken);

// The release automatic promotion promotes now: the newest (the last of
// `releases`, oldest first) when it was never promoted and is not the
// promoted one. A release promoted before, then rolled back from, is
// never promoted again by itself. Nullopt when none.
std::optional<std::string> AutoPromotion(const api::BinhostSpec& spec,
                                         const std::vector<api::Release>& releases,
                                         const std::string& promoted);

// The releases pruning removes, oldest first: beyond the newest `keep`, never
// the promoted one or the one before it (what a rollback returns to).
std::vector<std::string> ReleasesToPrune(const std::vector<api::Release>& releases,
                                         const std::string& promoted, int keep);

// The release before `name` (oldest first), or null.
const api::Release* PreviousRelease(const std::vector<api::Release>& releases,
                                    const std::string& name);

// The TIMESTAMP a release promoted at `now` gets: `now` in seconds, and
// more than every release's so far.
int64_t NextIndexTimestamp(const std::vector<api::Release>& releases, WallTime now);

// Of `release` against `previous` (null: everything is added), CPVs sorted.
struct ReleaseDiff {
  std::vector<std::string> added;    // not in previous
  std::vector<std::string> removed;  // in previous only
  std::vector<std::string> rebuilt;  // in both, another file
};
ReleaseDiff DiffReleases(const api::Release& release, const api::Release* previous);

// The Swarm's Released condition: whether /binhost/current serves the
// release of the queue whose digest is `queue_digest` (empty: the queue is
// not built whole). `was` is the condition as stored (may be null): a
// refusal (VerificationFailed) stays until the queue's release is cut.
api::Condition ReleasedCondition(const api::BinhostSpec& spec,
                                 const std::vector<api::Release>& releases,
                                 const std::string& promoted, const std::string& queue_digest,
                                 const api::QueueSummary& queue, const api::Condition* was);

}  // namespace swarm::controller::reconcilers

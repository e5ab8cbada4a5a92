#pragma once

// Durable file writes shared by the agent (DEPLOY_MARKER, state) and the
// controller (build logs, the binhost index), and opening a file without
// following a symbolic link.

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/status.h"
#include "base/unique_fd.h"

namespace swarm {

// Replaces the file at `path` with `content` so that a reader, or a crash at
// any moment, sees either the old file or the whole new one: a temporary file
// is written, fsync'ed and renamed over it, then the directory is fsync'ed.
// The temporary file goes beside `path`, or into `tmp_dir` when given (which
// must be on the same filesystem: e.g. a directory that is not served).
// Unavailable (naming the path) when any step fails; the old file is then
// unchanged and no temporary file is left.
Status WriteFileAtomically(const std::string& path, std::string_view content,
                           const std::string& tmp_dir = "");

// A secret (a token file, a private key) must not be open to every user of
// the machine. Ok when `path` is a file that others cannot read or write;
// InvalidArgument naming it, its mode and the fix otherwise; Unavailable when
// it cannot be stat'ed. `what` names it in the message ("token file").
Status CheckSecretFileMode(const std::string& path, const std::string& what);

// Creates `path` and its missing parents. Unavailable (naming it) on failure.
Status MakeDirs(const std::string& path);

// open(2) of `path` with `flags` plus O_NOFOLLOW and O_CLOEXEC (`mode` when
// it creates the file): for files in a directory that another process could
// write to, such as the agent's logs, where a planted symbolic link must not
// redirect a write or a read. NotFound when it does not exist; Unavailable
// naming the path otherwise, saying so when it is a symbolic link.
Result<UniqueFd> OpenNoFollow(const std::string& path, int flags, mode_t mode = 0644);

}  // namespace swarm

#include "api/defaults.h"

namespace swarm::api {

void ApplyDefaults(Swarm& s) {
  QueueSpec& q = s.spec.queue;
  // Explicit packages alone are a complete queue; only a queue with nothing to
  // build at all means "keep the whole world current".
  if (q.targets.empty() && q.packages.empty()) q.targets = {"@world"};
  if (q.emerge_args.empty()) q.emerge_args = "--update --deep --newuse --with-bdeps=y";
}

}  // namespace swarm::api

#include "swarmctl/errors.h"

namespace swarm::ctl {

int Fail(std::ostream& err, const Status& s, int exit_code) {
  std::string msg = s.message();
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  err << "error: " << msg << '\n';
  return exit_code;
}

}  // namespace swarm::ctl

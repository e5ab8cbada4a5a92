#include "controller/server/apiserver.h"

#include <gtest/gtest.h>

namespace swarm::controller {
namespace {

TEST(ClientErrorMessageTest, StoreAndDiskFailuresStayInTheLog) {
  const std::string sqlite = "store: UPDATE drones: database disk image is malformed";
  const std::string disk = "cannot write /var/lib/build-swarm/binhost/.staging/a1.part: No space";
  for (const Status& st : {Internal(sqlite), Unavailable(disk)}) {
    const std::string m = ClientErrorMessage(st);
    EXPECT_EQ(m.find("/var/lib"), std::string::npos) << m;
    EXPECT_EQ(m.find("database"), std::string::npos) << m;
    EXPECT_NE(m.find("the controller's log says more"), std::string::npos) << m;
  }
  // A client's own mistake is told to it as it is.
  EXPECT_EQ(ClientErrorMessage(InvalidArgument("request body:3:5: spec.drones: required")),
            "request body:3:5: spec.drones: required");
  EXPECT_EQ(ClientErrorMessage(Conflict("assignment a1 is not current")),
            "assignment a1 is not current");
}

}  // namespace
}  // namespace swarm::controller

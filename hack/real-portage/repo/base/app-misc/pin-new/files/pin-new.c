/* pin-new: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("pin-new");
  return 0;
}

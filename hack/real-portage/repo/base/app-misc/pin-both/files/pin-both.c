/* pin-both: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("pin-both");
  return 0;
}

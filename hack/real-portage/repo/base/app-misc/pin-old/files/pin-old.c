/* pin-old: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("pin-old");
  return 0;
}

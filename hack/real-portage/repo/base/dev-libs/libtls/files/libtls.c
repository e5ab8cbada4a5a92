/* libtls: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("libtls");
  return 0;
}

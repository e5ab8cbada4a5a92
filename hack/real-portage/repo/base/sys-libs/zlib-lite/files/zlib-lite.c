/* zlib-lite: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("zlib-lite");
  return 0;
}

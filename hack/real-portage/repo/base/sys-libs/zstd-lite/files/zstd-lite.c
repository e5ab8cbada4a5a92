/* zstd-lite: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("zstd-lite");
  return 0;
}

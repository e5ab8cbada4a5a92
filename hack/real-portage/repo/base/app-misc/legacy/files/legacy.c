/* legacy: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("legacy");
  return 0;
}

/* libcore: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("libcore");
  return 0;
}

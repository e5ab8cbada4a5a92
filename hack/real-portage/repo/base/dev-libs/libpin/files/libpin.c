/* libpin: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("libpin");
  return 0;
}

/* libxml-lite: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("libxml-lite");
  return 0;
}

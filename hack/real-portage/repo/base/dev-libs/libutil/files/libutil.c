/* libutil: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("libutil");
  return 0;
}

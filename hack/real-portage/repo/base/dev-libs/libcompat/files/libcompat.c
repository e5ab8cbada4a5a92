/* libcompat: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("libcompat");
  return 0;
}

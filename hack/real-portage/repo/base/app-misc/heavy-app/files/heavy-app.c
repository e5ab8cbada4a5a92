/* heavy-app: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("heavy-app");
  return 0;
}

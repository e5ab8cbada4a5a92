/* suite: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("suite");
  return 0;
}

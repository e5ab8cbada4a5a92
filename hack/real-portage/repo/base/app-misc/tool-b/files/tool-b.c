/* tool-b: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("tool-b");
  return 0;
}

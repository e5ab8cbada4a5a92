/* tool-a: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("tool-a");
  return 0;
}

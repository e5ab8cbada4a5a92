/* newcomer: a test package of build-swarm, new in the second revision. */
#include <stdio.h>

int main(void) {
  puts("newcomer");
  return 0;
}

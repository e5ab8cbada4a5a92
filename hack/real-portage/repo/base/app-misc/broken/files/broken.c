/* broken: a test package of build-swarm whose compile fails. */
#include <stdio.h>

int main(void) {
  puts("broken")
  return 0;
}

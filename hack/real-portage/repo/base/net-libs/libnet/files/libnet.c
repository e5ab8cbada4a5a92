/* libnet: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("libnet");
  return 0;
}

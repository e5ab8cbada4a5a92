/* fetcher: a test package of build-swarm. */
#include <stdio.h>

int main(void) {
  puts("fetcher");
  return 0;
}

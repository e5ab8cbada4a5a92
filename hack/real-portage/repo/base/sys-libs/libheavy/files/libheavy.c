/* Heavy on purpose: a few seconds of -O2 so that a build takes noticeably
   longer than the others. The preprocessor makes 256 functions, each with
   loops the optimizer unrolls and vectorizes. */
#include <stdio.h>

#define BODY(n)                                                   \
  static unsigned long f##n(unsigned long x) {                    \
    unsigned long a[32];                                          \
    for (int i = 0; i < 32; ++i) a[i] = x * (i + n) ^ (x >> (i % 7)); \
    for (int r = 0; r < 8; ++r)                                   \
      for (int i = 1; i < 32; ++i) a[i] += a[i - 1] * 2654435761u + r; \
    return a[31] + n;                                             \
  }
#define B4(n) BODY(n##0) BODY(n##1) BODY(n##2) BODY(n##3)
#define B16(n) B4(n##0) B4(n##1) B4(n##2) B4(n##3)
#define B64(n) B16(n##0) B16(n##1) B16(n##2) B16(n##3)
#define B256(n) B64(n##0) B64(n##1) B64(n##2) B64(n##3)
B256(1)

#define C4(n) + f##n##0(x) + f##n##1(x) + f##n##2(x) + f##n##3(x)
#define C16(n) C4(n##0) C4(n##1) C4(n##2) C4(n##3)
#define C64(n) C16(n##0) C16(n##1) C16(n##2) C16(n##3)
#define C256(n) C64(n##0) C64(n##1) C64(n##2) C64(n##3)

int main(int argc, char **argv) {
  (void)argv;
  unsigned long x = (unsigned long)argc;
  printf("heavy: %lu\n", 0 C256(1));
  return 0;
}

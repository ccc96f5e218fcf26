// Sieve of Eratosthenes over 64 KiB, repeated n times: byte stores and loops.
#include "common.h"

#define SIZE 65536
static u8 flags[SIZE];

EXPORT int run(int n) {
  int count = 0;
  for (int iter = 0; iter < n; ++iter) {
    count = 0;
    for (int i = 0; i < SIZE; ++i) flags[i] = (u8)(i | 1);  // non-zero, and not a memset call
    for (int i = 2; i < SIZE; ++i) {
      if (!flags[i]) continue;
      ++count;
      for (int k = i + i; k < SIZE; k += i) flags[k] = 0;
    }
  }
  return count;
}

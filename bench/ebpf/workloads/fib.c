// Iterative Fibonacci: input[0] = n; returns fib(n) mod 2^64.
#include "types.h"

u64 entry(const u64* input) {
  u64 a = 0, b = 1;
  for (u64 i = 0; i < input[0]; ++i) {
    u64 t = a + b;
    a = b;
    b = t;
  }
  return a;
}

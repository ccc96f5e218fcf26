// Sieve of Eratosthenes: input[0] = limit (at most 8192); returns the number of primes below it.
// Marks carry a per-run stamp instead of clearing the array first (clang would turn the clearing
// loop into a memset call, which the BPF target cannot express).
#include "types.h"

#define kMaxLimit 8192
static u32 marked[kMaxLimit];
static u32 stamp;

u64 entry(const u64* input) {
  u64 limit = input[0] < kMaxLimit ? input[0] : kMaxLimit;
  u32 run = ++stamp;
  u64 count = 0;
  for (u64 i = 2; i < limit; ++i) {
    if (marked[i] == run) continue;
    ++count;
    for (u64 j = i * i; j < limit; j += i) marked[j] = run;
  }
  return count;
}

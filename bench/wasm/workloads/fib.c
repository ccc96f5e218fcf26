// Recursive Fibonacci: call-heavy.
#include "common.h"

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

EXPORT int run(int n) { return fib(n); }

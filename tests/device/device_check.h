// A minimal check harness for on-target tests (GoogleTest does not run bare-metal): failed checks
// print file:line and the expression; the summary line and the exit status tell the host runner.
#pragma once

#include "tc/base/format.h"
#include "tc/port/board.h"

namespace tc::device_test {

inline int g_checks = 0;
inline int g_failures = 0;

inline void Check(bool ok, const char* expr, const char* file, int line) {
  ++g_checks;
  if (ok) return;
  ++g_failures;
  char buf[160];
  FormatTo(buf, "CHECK FAILED %s:%d: %s\n", file, line, expr);
  port::ConsoleWrite(buf);
}

inline int Finish(const char* suite) {
  char buf[96];
  FormatTo(buf, "%s: %d checks, %d failed\n%s\n", suite, g_checks, g_failures,
           g_failures == 0 ? "ALL PASSED" : "SOME FAILED");
  port::ConsoleWrite(buf);
  return g_failures == 0 ? 0 : 1;
}

}  // namespace tc::device_test

#define DEVICE_CHECK(expr) \
  ::tc::device_test::Check(static_cast<bool>(expr), #expr, __FILE__, __LINE__)

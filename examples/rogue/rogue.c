/* A deliberately badly behaved container, to show what the engine does about it:
 *   activation 1: opens endpoint 7, which its manifest does not declare  -> denied (-2);
 *   activation 2: hands tc_log a pointer outside its own memory         -> denied (-14);
 *   activation 3: never returns from tc_loop                            -> budget overrun.
 * Each denial is counted and audited by the engine; with on_violation "deny" the container only
 * gets the error code. The overrun is handled by schedule.on_overrun: "throttle" parks it until
 * its next period, "stop" stops it, "restart" starts a fresh instance (max_restarts times). */
#include "tinycontainer.h"
#include "tinycontainer_text.h"

enum { kUndeclaredEndpoint = 7 };
/* Far beyond any container's linear memory (the quota is a few KiB). */
#define OUTSIDE_MEMORY ((const char*)0x7ffffff0)

static tc_u32 activations;

static void log_result(const char* what, tc_i32 code) {
  char buffer[64];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  tc_line_str(&line, what);
  tc_line_i32(&line, code);
  (void)tc_line_log(&line);
}

TC_EXPORT("tc_loop") int tc_loop(void) {
  ++activations;
  if (activations == 1) {
    log_result("opened an undeclared endpoint: ", tc_open(kUndeclaredEndpoint, TC_ACCESS_READ));
    return 0;
  }
  if (activations == 2) {
    log_result("logged from outside my memory: ", tc_log(OUTSIDE_MEMORY, 16));
    return 0;
  }
  static const char kSpinning[] = "spinning forever";
  (void)tc_log(kSpinning, sizeof kSpinning - 1);
  /* volatile: the loop must really run, not be folded away by the optimiser. */
  volatile tc_u32 spins = 0;
  for (;;) spins = spins + 1;
}

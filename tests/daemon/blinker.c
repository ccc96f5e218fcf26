/* The daemon tests' device container (wasm32, clang-14 -nostdlib): toggles LED 0 of the
   simulated board on every activation through its declared endpoint 1, and leaves it off when
   stopped (a tc_stop, so a stop command is answered separately once it has run). */
#include "tinycontainer.h"

#define EXPORT(name) __attribute__((export_name(name)))

static tc_i32 led = -1;
static unsigned char on = 0;

EXPORT("tc_loop") int tc_loop(void) {
  if (led < 0) {
    led = tc_open(1, TC_ACCESS_WRITE);
    if (led < 0) return led;
  }
  on = (unsigned char)!on;
  const tc_i32 written = tc_write(led, &on, 1);
  return written < 0 ? written : 0;
}

EXPORT("tc_stop") int tc_stop(void) {
  if (led < 0 || !on) return 0;
  on = 0;
  const tc_i32 written = tc_write(led, &on, 1);
  return written < 0 ? written : 0;
}

/* The daemon tests' container (wasm32, clang-14 -nostdlib): counts its activations in the
   key-value store, so the count survives a daemon restart, and logs each one. */
#include "tinycontainer.h"

#define EXPORT(name) __attribute__((export_name(name)))

static const char kKey[] = "count";

EXPORT("tc_loop") int tc_loop(void) {
  tc_u32 count = 0;
  const int found = tc_kv_get(kKey, sizeof kKey - 1, &count, sizeof count);
  if (found != TC_EKV_NOT_FOUND && found != (int)sizeof count) return found;
  ++count;
  const int stored = tc_kv_set(kKey, sizeof kKey - 1, &count, sizeof count);
  if (stored < 0) return stored;
  char line[] = "tick 0000000";
  for (int i = 11; i >= 5; --i, count /= 10) line[i] = (char)('0' + count % 10);
  const int logged = tc_log(line, sizeof line - 1);
  return logged < 0 ? logged : 0;
}

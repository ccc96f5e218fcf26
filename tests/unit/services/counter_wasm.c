/* A wasm32 container built against the SDK with clang-14 -nostdlib: counts its activations in the
   key-value store, logs each one, and has an entry that asks for random bytes (which the test
   does not permit). */
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
  char line[] = "tick N";
  line[5] = (char)('0' + count % 10);
  const int logged = tc_log(line, sizeof line - 1);
  return logged < 0 ? logged : 0;
}

EXPORT("want_random") int want_random(void) {
  unsigned char bytes[8];
  return tc_random(bytes, sizeof bytes);
}

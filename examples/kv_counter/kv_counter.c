/* Counts its activations in the key-value store and logs the count. The store is namespaced by
 * the container's uid and persistent on the device, so the count goes on where it left off after
 * a restart of the container, a reinstall with the same uid, or a restart of the daemon. */
#include "tinycontainer.h"
#include "tinycontainer_text.h"

static const char kKey[] = "activations";

TC_EXPORT("tc_loop") int tc_loop(void) {
  unsigned char stored[4] = {0, 0, 0, 0};
  const tc_i32 found = tc_kv_get(kKey, sizeof kKey - 1, stored, sizeof stored);
  char buffer[48];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  if (found != TC_EKV_NOT_FOUND && found != (tc_i32)sizeof stored) {
    tc_line_str(&line, "kv_get failed: ");
    tc_line_i32(&line, found);
    (void)tc_line_log(&line);
    return 0; /* keep the old value rather than overwrite it with 1 */
  }
  tc_u32 count = (tc_u32)stored[0] | (tc_u32)stored[1] << 8 | (tc_u32)stored[2] << 16 |
                 (tc_u32)stored[3] << 24;
  ++count;
  const unsigned char next[4] = {(unsigned char)count, (unsigned char)(count >> 8),
                                 (unsigned char)(count >> 16), (unsigned char)(count >> 24)};
  const tc_i32 written = tc_kv_set(kKey, sizeof kKey - 1, next, sizeof next);
  if (written < 0) {
    tc_line_str(&line, "kv_set failed: ");
    tc_line_i32(&line, written);
  } else {
    tc_line_str(&line, "activation ");
    tc_line_u32(&line, count);
  }
  (void)tc_line_log(&line);
  return 0;
}

/* An eBPF container built against the SDK with clang-14 -target bpf: the same counter as
   counter_wasm.c through the tc helpers, plus the Femto-Containers store/fetch and printf
   helpers. */
#include "tinycontainer.h"

int run(void* memory, unsigned long size) {
  static const char key[] = "count";
  static const char line[] = "bpf tick";
  tc_u32 count = 0;
  long found = tc_kv_get(key, sizeof key - 1, &count, sizeof count);
  if (found != TC_EKV_NOT_FOUND && found != (long)sizeof count) return (int)found;
  ++count;
  long stored = tc_kv_set(key, sizeof key - 1, &count, sizeof count);
  if (stored < 0) return (int)stored;
  stored = tc_bpf_store_local(42, count * 100);
  if (stored < 0) return (int)stored;
  tc_u32 fetched = 0;
  if (tc_bpf_fetch_local(42, &fetched) < 0 || fetched != count * 100) return -100;
  long logged = tc_log(line, sizeof line - 1);
  if (logged < 0) return (int)logged;
  logged = tc_bpf_printf("femto count %u, stored %04x\n", count, fetched);
  return logged < 0 ? (int)logged : 0;
}

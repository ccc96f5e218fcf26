/* An eBPF container (clang -target bpf) in the style of Femto-Containers: keeps a counter with
 * the Femto helpers bpf_fetch_local/bpf_store_local (a u32 per u32 key in the container's own
 * kv namespace) and logs it. The engine runs bpf_counter once per period with r1/r2 = the
 * container's memory; tc_stop, another function of the same object, runs on a graceful stop. */
#include "tinycontainer.h"
#include "tinycontainer_text.h"

enum { kCounterKey = 1 };

int bpf_counter(void* memory, unsigned long size) {
  (void)memory;
  (void)size;
  tc_u32 count = 0;
  const long fetched = tc_bpf_fetch_local(kCounterKey, &count);
  if (fetched < 0 && fetched != TC_EKV_NOT_FOUND) return 0; /* keep running; nothing to log */
  ++count;
  const long stored = tc_bpf_store_local(kCounterKey, count);
  char buffer[40];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  if (stored < 0) {
    tc_line_str(&line, "bpf store failed: ");
    tc_line_i32(&line, (tc_i32)stored);
  } else {
    tc_line_str(&line, "bpf count ");
    tc_line_u32(&line, count);
  }
  (void)tc_line_log(&line);
  return 0;
}

int tc_stop(void* memory, unsigned long size) {
  (void)memory;
  (void)size;
  tc_u32 count = 0;
  (void)tc_bpf_fetch_local(kCounterKey, &count);
  char buffer[40];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  tc_line_str(&line, "bpf counter stopped at ");
  tc_line_u32(&line, count);
  (void)tc_line_log(&line);
  return 0;
}

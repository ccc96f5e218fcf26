/* Two wasm32 containers in one module, joined by a channel: "producer" writes a numbered
   message each period on endpoint 1; "consumer" blocks reading endpoint 2 and logs what arrives.
   "wrong_way" tries to open the consumer's read-only endpoint for writing. */
#include "tinycontainer.h"

#define EXPORT(name) __attribute__((export_name(name)))

static int handle = -1;
static tc_u32 sent;

EXPORT("producer") int producer(void) {
  if (handle < 0) handle = tc_open(1, TC_ACCESS_WRITE);
  if (handle < 0) return handle;
  char message[] = "msg N";
  message[4] = (char)('0' + ++sent % 10);
  const int written = tc_write(handle, message, sizeof message - 1);
  return written < 0 ? written : 0;
}

EXPORT("consumer") int consumer(void) {
  if (handle < 0) handle = tc_open(2, TC_ACCESS_READ);
  if (handle < 0) return handle;
  char line[16] = "got ";
  const int n = tc_read(handle, line + 4, sizeof line - 4);
  if (n < 0) return n;
  const int logged = tc_log(line, 4 + (tc_u32)n);
  return logged < 0 ? logged : 0;
}

EXPORT("wrong_way") int wrong_way(void) { return tc_open(2, TC_ACCESS_WRITE); }

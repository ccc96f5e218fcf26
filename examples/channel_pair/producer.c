/* Channel producer: every period writes its activation counter (4 bytes, little-endian) into the
 * channel to acme.consumer. Writing never blocks: when the consumer's queue is full the write
 * answers TC_EWOULD_BLOCK and that number is skipped. */
#include "tinycontainer.h"
#include "tinycontainer_text.h"

enum { kToConsumer = 1 };

static tc_i32 channel = -1;
static tc_u32 counter;

static void log_code(const char* what, tc_i32 code) {
  char buffer[48];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  tc_line_str(&line, what);
  tc_line_i32(&line, code);
  (void)tc_line_log(&line);
}

TC_EXPORT("tc_loop") int tc_loop(void) {
  ++counter;
  if (channel < 0) {
    channel = tc_open(kToConsumer, TC_ACCESS_WRITE);
    if (channel < 0) {
      log_code("open failed: ", channel);
      return 0;
    }
  }
  const unsigned char message[4] = {(unsigned char)counter, (unsigned char)(counter >> 8),
                                    (unsigned char)(counter >> 16), (unsigned char)(counter >> 24)};
  const tc_i32 written = tc_write(channel, message, sizeof message);
  if (written == TC_EWOULD_BLOCK) {
    log_code("consumer is behind, skipped ", (tc_i32)counter);
  } else if (written < 0) {
    log_code("write failed: ", written);
    if (written == TC_EBAD_HANDLE) channel = -1;
  }
  return 0;
}

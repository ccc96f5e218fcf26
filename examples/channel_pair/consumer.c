/* Channel consumer: event-driven (no period). Each activation blocks in tc_read until
 * acme.producer writes, then logs the counter it got. If the channel cannot be used it sleeps
 * a second before trying again instead of spinning. */
#include "tinycontainer.h"
#include "tinycontainer_text.h"

enum { kFromProducer = 1 };
static const tc_i64 kRetryUs = 1000000;

static tc_i32 channel = -1;

static void log_code(const char* what, tc_i32 code) {
  char buffer[48];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  tc_line_str(&line, what);
  tc_line_i32(&line, code);
  (void)tc_line_log(&line);
}

TC_EXPORT("tc_loop") int tc_loop(void) {
  if (channel < 0) {
    channel = tc_open(kFromProducer, TC_ACCESS_READ);
    if (channel < 0) {
      log_code("open failed: ", channel);
      (void)tc_sleep_us(kRetryUs);
      return 0;
    }
  }
  unsigned char message[4];
  const tc_i32 n = tc_read(channel, message, sizeof message);
  if (n != (tc_i32)sizeof message) {
    log_code("read failed: ", n);
    if (n == TC_EBAD_HANDLE) channel = -1;
    (void)tc_sleep_us(kRetryUs);
    return 0;
  }
  const tc_u32 counter = (tc_u32)message[0] | (tc_u32)message[1] << 8 | (tc_u32)message[2] << 16 |
                         (tc_u32)message[3] << 24;
  char buffer[32];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  tc_line_str(&line, "received ");
  tc_line_u32(&line, counter);
  (void)tc_line_log(&line);
  return 0;
}

/* A periodic control loop: every activation reads a temperature sample from the sensor endpoint,
 * logs it now and then, and toggles the LED endpoint.
 *
 * Device formats (docs/services.md, "Devices"): the sensor answers a read with a 4-byte
 * little-endian int32 in milli-degrees Celsius; the LED takes a 1-byte write, 0 = off, 1 = on.
 *
 * Every failure is an ordinary negative return here: the endpoint may not exist in this build
 * (-38), the operator may revoke the LED permission at run time (the engine closes the handle,
 * so writes answer -9 and re-opening is denied). The loop logs the failure and keeps running:
 * a sampler that stops because its LED went away would lose the samples too. */
#include "tinycontainer.h"
#include "tinycontainer_text.h"

enum { kSensorEndpoint = 1, kLedEndpoint = 2 };
enum { kReportEvery = 10 }; /* activations between two sample lines or two repeated errors */

static tc_i32 sensor = -1;
static tc_i32 led = -1;
static tc_u32 activations;
static unsigned char led_state;
static tc_i32 last_sensor_error;
static tc_i32 last_led_error;

/* Logs "<what>: <code>" when the code changed since the last report, else every kReportEvery
 * activations, so a persistent failure costs one line a second rather than ten. */
static void report_failure(const char* what, tc_i32 code, tc_i32* last_code) {
  if (code == *last_code && activations % kReportEvery != 0) return;
  *last_code = code;
  char buffer[64];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  tc_line_str(&line, what);
  tc_line_str(&line, ": error ");
  tc_line_i32(&line, code);
  (void)tc_line_log(&line);
}

static void sample(void) {
  if (sensor < 0) {
    sensor = tc_open(kSensorEndpoint, TC_ACCESS_READ);
    if (sensor < 0) {
      report_failure("sensor open", sensor, &last_sensor_error);
      return;
    }
  }
  unsigned char raw[4];
  const tc_i32 n = tc_read(sensor, raw, sizeof raw);
  if (n != (tc_i32)sizeof raw) {
    report_failure("sensor read", n < 0 ? n : TC_EINVALID, &last_sensor_error);
    if (n == TC_EBAD_HANDLE) sensor = -1; /* closed by the engine: open again next time */
    return;
  }
  last_sensor_error = 0;
  const tc_i32 milli_celsius =
      (tc_i32)((tc_u32)raw[0] | (tc_u32)raw[1] << 8 | (tc_u32)raw[2] << 16 | (tc_u32)raw[3] << 24);
  if (activations % kReportEvery != 1) return;
  char buffer[64];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  tc_line_str(&line, "sample ");
  tc_line_u32(&line, activations);
  tc_line_str(&line, ": ");
  tc_line_milli(&line, milli_celsius);
  tc_line_str(&line, " C");
  (void)tc_line_log(&line);
}

static void toggle_led(void) {
  if (led < 0) {
    led = tc_open(kLedEndpoint, TC_ACCESS_WRITE);
    if (led < 0) {
      report_failure("led open denied", led, &last_led_error);
      return;
    }
  }
  const unsigned char next = led_state ? 0 : 1;
  const tc_i32 written = tc_write(led, &next, 1);
  if (written != 1) {
    report_failure("led write denied", written < 0 ? written : TC_EINVALID, &last_led_error);
    if (written == TC_EBAD_HANDLE) led = -1;
    return;
  }
  last_led_error = 0;
  led_state = next;
}

TC_EXPORT("tc_init") int tc_init(void) {
  static const char kStarted[] = "sampler started";
  (void)tc_log(kStarted, sizeof kStarted - 1);
  return 0;
}

TC_EXPORT("tc_loop") int tc_loop(void) {
  ++activations;
  sample();
  toggle_led();
  return 0;
}

TC_EXPORT("tc_stop") int tc_stop(void) {
  /* Leave the LED off; a failure here changes nothing. */
  if (led >= 0 && led_state) {
    const unsigned char off = 0;
    (void)tc_write(led, &off, 1);
  }
  return 0;
}

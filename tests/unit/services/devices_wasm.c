/* wasm32 containers driving the devices of examples/boards/native.json through the SDK:
   "blink" toggles LED 0 every activation (endpoint 1), "thermostat" reads the temperature sensor
   (endpoint 2) and switches LED 1 (endpoint 3) on above 25 degrees, "tmp102" reads the TMP102 at
   I2C 0x48 (endpoint 4) and logs the temperature in milli-degrees. Each returns the first error
   it meets, which ends the container with that exit code. */
#include "tinycontainer.h"

#define EXPORT(name) __attribute__((export_name(name)))

static int led = -1;
static unsigned char on;

EXPORT("blink") int blink(void) {
  if (led < 0) led = tc_open(1, TC_ACCESS_WRITE);
  if (led < 0) return led;
  on = (unsigned char)!on;
  const int written = tc_write(led, &on, 1);
  return written < 0 ? written : 0;
}

static int sensor = -1;
static int indicator = -1;

EXPORT("thermostat") int thermostat(void) {
  if (sensor < 0) sensor = tc_open(2, TC_ACCESS_READ);
  if (sensor < 0) return sensor;
  if (indicator < 0) indicator = tc_open(3, TC_ACCESS_WRITE);
  if (indicator < 0) return indicator;
  unsigned char sample[4];
  const int n = tc_read(sensor, sample, sizeof sample);
  if (n != 4) return n < 0 ? n : -100;
  const tc_i32 milli = (tc_i32)((tc_u32)sample[0] | (tc_u32)sample[1] << 8 |
                                (tc_u32)sample[2] << 16 | (tc_u32)sample[3] << 24);
  const unsigned char hot = milli > 25000;
  const int written = tc_write(indicator, &hot, 1);
  return written < 0 ? written : 0;
}

static int i2c = -1;

EXPORT("tmp102") int tmp102(void) {
  if (i2c < 0) i2c = tc_open(4, TC_ACCESS_READ | TC_ACCESS_WRITE);
  if (i2c < 0) return i2c;
  const unsigned char pointer = 0; /* the temperature register */
  int r = tc_write(i2c, &pointer, 1);
  if (r < 0) return r;
  unsigned char raw[2];
  r = tc_read(i2c, raw, sizeof raw);
  if (r != 2) return r < 0 ? r : -100;
  /* 12-bit two's complement, left-justified, 1/16 degree per step. */
  int steps = (raw[0] << 4) | (raw[1] >> 4);
  if (steps & 0x800) steps -= 0x1000;
  int milli = steps * 1000 / 16;
  char line[24] = "tmp102 ";
  int at = 7;
  if (milli < 0) {
    line[at++] = '-';
    milli = -milli;
  }
  char digits[12];
  int count = 0;
  do {
    digits[count++] = (char)('0' + milli % 10);
    milli /= 10;
  } while (milli > 0);
  while (count > 0) line[at++] = digits[--count];
  const int logged = tc_log(line, (tc_u32)at);
  return logged < 0 ? logged : 0;
}

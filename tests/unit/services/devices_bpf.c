/* An eBPF container built against the SDK: each activation reads the temperature sensor
   (endpoint 1) and drives the relay GPIO (endpoint 2): high above 25 degrees. Handles are opened
   and closed within the activation (an eBPF program keeps no state between runs here). */
#include "tinycontainer.h"

int run(void* memory, unsigned long size) {
  long sensor = tc_open(1, TC_ACCESS_READ);
  if (sensor < 0) return (int)sensor;
  long relay = tc_open(2, TC_ACCESS_WRITE);
  if (relay < 0) return (int)relay;
  unsigned char sample[4];
  long n = tc_read(sensor, sample, sizeof sample);
  if (n != 4) return n < 0 ? (int)n : -100;
  int milli = (int)((tc_u32)sample[0] | (tc_u32)sample[1] << 8 | (tc_u32)sample[2] << 16 |
                    (tc_u32)sample[3] << 24);
  unsigned char level = milli > 25000;
  long written = tc_write(relay, &level, 1);
  if (written < 0) return (int)written;
  tc_close(relay);
  tc_close(sensor);
  return 0;
}

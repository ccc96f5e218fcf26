/* eBPF containers built against the SDK. `run` reads the temperature sensor (endpoint 1) and
   drives the relay GPIO (endpoint 2): high above 25 degrees; its handles are opened and closed
   within the activation. `saul_thermostat` does the same in Femto-Containers' SAUL style: it
   finds its devices by SAUL type and reads and writes phydat_t values. */
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

int saul_thermostat(void* memory, unsigned long size) {
  tc_saul_reg* sensor = tc_bpf_saul_reg_find_type(TC_SAUL_SENSE_TEMP);
  tc_saul_reg* led = tc_bpf_saul_reg_find_type(TC_SAUL_ACT_SWITCH);
  if (!sensor || !led) return -100;
  tc_phydat temperature;
  long n = tc_bpf_saul_reg_read(sensor, &temperature);
  if (n != 1) return n < 0 ? (int)n : -101;
  long milli = temperature.val[0];
  for (int scale = temperature.scale; scale > -3; --scale) milli *= 10;
  tc_phydat level = {{milli > 25000, 0, 0}, TC_SAUL_UNIT_NONE, 0};
  n = tc_bpf_saul_reg_write(led, &level);
  return n < 0 ? (int)n : 0;
}

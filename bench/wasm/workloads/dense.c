// An int8 fully connected layer (TFLite-style: int32 accumulators, requantised output),
// 256 inputs x 64 outputs, n inferences.
#include "common.h"

#define IN 256
#define OUT 64
static i8 weights[OUT][IN];
static i8 input[IN];
static int bias[OUT];
static i8 output[OUT];

EXPORT int run(int n) {
  for (int o = 0; o < OUT; ++o) {
    bias[o] = o * 17 - 500;
    for (int i = 0; i < IN; ++i) weights[o][i] = (i8)((o * 7 + i * 13) % 255 - 127);
  }
  for (int i = 0; i < IN; ++i) input[i] = (i8)((i * 29) % 255 - 127);
  int checksum = 0;
  for (int iter = 0; iter < n; ++iter) {
    input[iter % IN] = (i8)iter;
    for (int o = 0; o < OUT; ++o) {
      int acc = bias[o];
      for (int i = 0; i < IN; ++i) acc += weights[o][i] * input[i];
      int scaled = (acc * 77) >> 14;  // requantise
      if (scaled > 127) scaled = 127;
      if (scaled < -128) scaled = -128;
      output[o] = (i8)scaled;
    }
    for (int o = 0; o < OUT; ++o) checksum = checksum * 31 + output[o];
  }
  return checksum;
}

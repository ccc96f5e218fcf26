// Call-cost probes: a loop that calls an imported host function, one that calls a wasm
// function, and an empty loop, n iterations each.
#include "common.h"

__attribute__((import_module("tc"), import_name("sink"))) void sink(int value);

static volatile int g;
__attribute__((noinline)) static void wasm_sink(int value) { g = value; }

__attribute__((export_name("host_calls"))) int host_calls(int n) {
  for (int i = 0; i < n; ++i) sink(i);
  return n;
}
__attribute__((export_name("wasm_calls"))) int wasm_calls(int n) {
  for (int i = 0; i < n; ++i) wasm_sink(i);
  return n;
}
__attribute__((export_name("empty_loop"))) int empty_loop(int n) {
  for (volatile int i = 0; i < n; ++i) {
  }
  return n;
}

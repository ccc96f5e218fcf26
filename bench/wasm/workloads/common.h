// Shared by the benchmark workloads: built freestanding for wasm32 and natively with the same
// flags (-O2), exporting `int run(int n)`.
#pragma once

#if defined(__wasm__)
#define EXPORT __attribute__((export_name("run")))
#else
#define EXPORT __attribute__((noinline))
#endif

typedef unsigned int u32;
typedef unsigned char u8;
typedef signed char i8;

// Fixed-width types without a C library: the same sources build for -target bpf and natively.
#pragma once
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

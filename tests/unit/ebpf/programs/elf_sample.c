// Exercises the ELF loader: .rodata strings, initialised .data, .bss, a static (pc-relative)
// call, a global-function call (R_BPF_64_32) and a helper call.
static const char kMessage[] = "tinycontainer";
int counter = 5;
static int calls;
static long (*tc_sum)(const void*, long) = (void*)3;

__attribute__((noinline)) static int Weighted(int x) { return x * 3 + kMessage[x & 7]; }
__attribute__((noinline)) int Bump(int x) {
  ++calls;
  counter += x;
  return counter + calls;
}

int entry(int* input) {
  long sum = tc_sum(kMessage, 4);
  return (int)sum + Weighted(input[0]) + Bump(input[1]);
}

/* A plain C program that builds natively and for wasm32-wasi and prints the same: formatted
 * output on stdout, one line on stderr, and an exit code (tinyctl run forwards all three). */
#include <stdio.h>

int main(int argc, char** argv) {
  (void)argv;
  printf("hello from %s\n", "TinyContainer");
  printf("argc=%d int=%d neg=%d hex=%#x padded=[%6d] left=[%-6d]\n", argc > 0, 42, -17, 0xBEEFu,
         7, 7);
  printf("char=%c string=[%10s] long=%ld unsigned=%u\n", 'Z', "right", 1234567890L, 4000000000u);
  printf("fixed=%.3f exp=%e general=%g\n", 3.14159, 12345.678, 0.0001);
  unsigned long long sum = 0;
  for (int i = 1; i <= 10; ++i) {
    sum += (unsigned long long)i * i;
    printf("square %2d = %3d, running sum %llu\n", i, i * i, sum);
  }
  fprintf(stderr, "a line on stderr\n");
  printf("done: %llu %s\n", sum, sum == 385 ? "ok" : "wrong");
  return 7;
}

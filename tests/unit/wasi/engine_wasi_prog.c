/* An ordinary wasm32-wasi C program for the engine test: printf to stdout and stderr, the
 * monotonic clock, getentropy, sched_yield, and an exit code through exit() -> proc_exit. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  printf("hello from the engine %d\n", 42);
  printf("now=%lld us\n", (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000);
  unsigned char bytes[8];
  printf("entropy %s\n", getentropy(bytes, sizeof bytes) == 0 ? "ok" : "failed");
  printf("yield %d\n", sched_yield());
  fprintf(stderr, "bye\n");
  exit(3);
}

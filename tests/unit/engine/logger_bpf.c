/* An eBPF container built with clang -target bpf: logs a string from its .rodata through helper 1
   and counts its activations in .data. */
static long (*tc_log)(const char* text, unsigned long length) = (void*)1;

static unsigned long activations;

int run(void* memory, unsigned long size) {
  static const char message[] = "from rodata";
  ++activations;
  tc_log(message, sizeof message - 1);
  return 0;
}

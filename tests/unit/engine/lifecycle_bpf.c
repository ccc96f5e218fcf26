/* An eBPF container with all three tc entry points in one clang -target bpf object: tc_init
   marks its .bss, run logs whether init ran first, tc_stop logs its farewell. */
static long (*tc_log)(const char* text, unsigned long length) = (void*)1;

static unsigned long initialised;

int tc_init(void* memory, unsigned long size) {
  initialised = 1;
  tc_log("init", 4);
  return 0;
}

int run(void* memory, unsigned long size) {
  if (initialised)
    tc_log("loop", 4);
  else
    tc_log("loop without init", 17);
  return 0;
}

int tc_stop(void* memory, unsigned long size) {
  tc_log("stop", 4);
  return 0;
}

// Workload driver measured by run.sh under callgrind (large run minus small run):
//   tc-ebpf-bench WORKLOAD ebpf N    load the clang-14 -target bpf object, verify, run once
//   tc-ebpf-bench WORKLOAD native N  the same C compiled natively with clang-14 -O2
//   tc-ebpf-bench WORKLOAD load N    load + verify the object N times
// Prints the result and the number of eBPF instructions executed.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tc/ebpf/elf_loader.h"
#include "tc/ebpf/verifier.h"
#include "tc/ebpf/vm.h"

extern "C" uint64_t native_fib(const uint64_t* input);
extern "C" uint64_t native_crc32(const uint64_t* input);
extern "C" uint64_t native_sieve(const uint64_t* input);

namespace {

struct Workload {
  const char* name;
  uint64_t (*native)(const uint64_t*);
};
constexpr Workload kWorkloads[] = {
    {"fib", native_fib}, {"crc32", native_crc32}, {"sieve", native_sieve}};

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int Fail(const char* what, const tc::Status& status) {
  std::fprintf(stderr, "%s: %s (at %u)\n", what, status.message(), status.position());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: tc-ebpf-bench fib|crc32|sieve ebpf|native|load N\n");
    return 2;
  }
  const std::string name = argv[1], mode = argv[2];
  const uint64_t n = std::strtoull(argv[3], nullptr, 10);
  const Workload* workload = nullptr;
  for (const Workload& w : kWorkloads) {
    if (name == w.name) workload = &w;
  }
  if (workload == nullptr) return 2;

  // input: n, then 256 bytes of data (hashed by crc32)
  alignas(8) static uint8_t input[8 + 256];
  std::memcpy(input, &n, 8);
  for (int i = 0; i < 256; ++i) input[8 + i] = static_cast<uint8_t>(i * 7 + 3);

  if (mode == "native") {
    std::printf("result=%llu ebpf_instructions=0\n",
                static_cast<unsigned long long>(
                    workload->native(reinterpret_cast<const uint64_t*>(input))));
    return 0;
  }
  const std::vector<uint8_t> elf = ReadFile(std::string(TC_EBPF_BENCH_OBJECTS) + "/" + name + ".o");
  std::vector<uint8_t> storage(64 * 1024);
  if (mode == "load") {
    for (uint64_t i = 0; i < n; ++i) {
      auto program = tc::ebpf::LoadElf(elf, storage, "entry");
      if (!program.ok()) return Fail("load", program.status());
      auto verified = tc::ebpf::Verify(*program, {});
      if (!verified.ok()) return Fail("verify", verified.status());
    }
    std::printf("object_bytes=%zu loads=%llu\n", elf.size(), static_cast<unsigned long long>(n));
    return 0;
  }
  auto program = tc::ebpf::LoadElf(elf, storage, "entry");
  if (!program.ok()) return Fail("load", program.status());
  auto verified = tc::ebpf::Verify(*program, {});
  if (!verified.ok()) return Fail("verify", verified.status());
  alignas(8) static uint8_t stack[tc::ebpf::Vm::kFrameSize];
  tc::ebpf::Vm vm(*verified, stack);
  if (vm.Run(input, UINT64_MAX) != tc::runtime::RunExit::kFinished) {
    std::fprintf(stderr, "run: %s at %u\n", tc::runtime::ToString(vm.trap_reason()), vm.pc());
    return 1;
  }
  std::printf("result=%llu ebpf_instructions=%llu\n", static_cast<unsigned long long>(vm.result()),
              static_cast<unsigned long long>(vm.instructions_executed()));
  return 0;
}

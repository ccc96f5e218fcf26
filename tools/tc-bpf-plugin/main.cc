// tc-bpf-plugin: runs one eBPF program under the TinyContainer eBPF runtime, speaking the
// bpf_conformance plugin protocol:
//   stdin   program bytes as base16 (whitespace ignored)
//   argv[1] optional input memory as base16; the program gets r1 = its address, r2 = its size
//   stdout  r0 in hex, exit status 0
//   stderr  the load/verify/run error, exit status 1
// Further arguments are bpf_conformance "plugin options": empty ones are ignored, `--elf` reads
// stdin as an ELF object (clang -target bpf -O2 -c) instead of raw instruction slots; it starts
// at the function named `entry`, or else at the object's only global function.
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tc/ebpf/elf_loader.h"
#include "tc/ebpf/verifier.h"
#include "tc/ebpf/vm.h"

namespace {

constexpr uint64_t kFuel = 10'000'000;  // ends a runaway program instead of hanging the runner
constexpr size_t kStackSize = tc::ebpf::Vm::kFrameSize * (tc::ebpf::Vm::kMaxCallDepth + 1);

std::optional<std::vector<uint8_t>> DecodeBase16(std::string_view text) {
  std::vector<uint8_t> bytes;
  int high = -1;
  for (char c : text) {
    int nibble;
    if (c >= '0' && c <= '9') {
      nibble = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      nibble = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      nibble = c - 'A' + 10;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      if (high >= 0) return std::nullopt;  // a byte split by whitespace
      continue;
    } else {
      return std::nullopt;
    }
    if (high < 0) {
      high = nibble;
    } else {
      bytes.push_back(static_cast<uint8_t>(high << 4 | nibble));
      high = -1;
    }
  }
  if (high >= 0) return std::nullopt;
  return bytes;
}

// Helper 5 returns its first argument: the bpf_conformance call tests (call_unwind_fail, callx)
// only need a helper at that id that returns a nonzero r1 unchanged.
tc::runtime::HostAction ReturnFirstArgument(void*, tc::ebpf::Vm&, const uint64_t* args,
                                            uint64_t* result) {
  *result = args[0];
  return tc::runtime::HostAction::kContinue;
}

int Fail(const std::string& message) {
  std::cerr << message << "\n";
  return 1;
}

std::string Where(const tc::Status& status, const char* unit = "instruction") {
  std::string text = status.message();
  if (status.has_position()) {
    text += std::string(" (") + unit + " " + std::to_string(status.position()) + ")";
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  bool elf = false;
  for (int i = 2; i < argc; ++i) {
    const std::string_view option(argv[i]);
    if (option == "--elf") {
      elf = true;
    } else if (option.find_first_not_of(" \t") != std::string_view::npos) {
      return Fail(std::string("tc-bpf-plugin: unknown option: ") + argv[i]);
    }
  }
  std::string program_text((std::istreambuf_iterator<char>(std::cin)),
                           std::istreambuf_iterator<char>());
  auto code = DecodeBase16(program_text);
  if (!code) return Fail("tc-bpf-plugin: program on stdin is not base16");
  std::vector<uint8_t> memory;
  if (argc > 1) {
    auto decoded = DecodeBase16(argv[1]);
    if (!decoded) return Fail("tc-bpf-plugin: input memory argument is not base16");
    memory = std::move(*decoded);
  }

  static const tc::ebpf::Helper kHelpers[] = {{}, {}, {}, {}, {}, {&ReturnFirstArgument, nullptr}};
  tc::ebpf::Program program;
  program.code = *code;
  std::vector<uint8_t> storage;
  if (elf) {
    auto size = tc::ebpf::ElfStorageSize(*code);
    if (!size.ok()) return Fail("load error: " + Where(size.status(), "byte"));
    storage.resize(*size);
    auto loaded = tc::ebpf::LoadElf(*code, storage, "entry");
    if (loaded.status() == tc::ErrorCode::kNotFound) loaded = tc::ebpf::LoadElf(*code, storage);
    if (!loaded.ok()) return Fail("load error: " + Where(loaded.status(), "byte"));
    program = *loaded;
  }
  auto verified = tc::ebpf::Verify(program, kHelpers);
  if (!verified.ok()) return Fail("verify error: " + Where(verified.status()));

  alignas(8) static uint8_t stack[kStackSize];
  tc::ebpf::Vm vm(*verified, stack);
  const tc::runtime::RunExit exit = vm.Run(memory, kFuel);
  if (exit == tc::runtime::RunExit::kTrapped) {
    return Fail(std::string("trap: ") + tc::runtime::ToString(vm.trap_reason()) + " (instruction " +
                std::to_string(vm.pc()) + ")");
  }
  if (exit != tc::runtime::RunExit::kFinished) {
    return Fail(std::string("program did not finish: ") + tc::runtime::ToString(exit));
  }
  std::printf("%" PRIx64 "\n", vm.result());
  return 0;
}

// The ELF loader on a clang-14 -target bpf object (built by CMake from programs/elf_sample.c),
// and on hostile variations of it: every truncation, corrupted headers, relocations and symbols.
#include "tc/ebpf/elf_loader.h"

#include <fstream>
#include <iterator>

#include "test_support.h"

namespace tc::ebpf {
namespace {

using runtime::HostAction;
using runtime::RunExit;

std::vector<uint8_t> ReadObject() {
  std::ifstream in(TC_EBPF_SAMPLE_OBJECT, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

HostAction Sum(void*, Vm& vm, const uint64_t* args, uint64_t* result) {
  const uint8_t* p = vm.Translate(args[0], static_cast<uint32_t>(args[1]), kRead);
  if (p == nullptr) return HostAction::kTrap;
  *result = 0;
  for (uint64_t i = 0; i < args[1]; ++i) *result += p[i];
  return HostAction::kContinue;
}

const Helper kHelpers[] = {{}, {}, {}, {&Sum, nullptr}};

struct Loaded {
  std::vector<uint8_t> storage;
  Result<Program> program = Status(ErrorCode::kInternal, "not loaded");
};

Loaded Load(const std::vector<uint8_t>& elf, const char* entry = "entry") {
  Loaded loaded;
  loaded.storage.resize(4096);
  loaded.program = LoadElf(elf, loaded.storage, entry);
  return loaded;
}

int Expected(int a, int b, int counter, int calls) {
  const char message[] = "tinycontainer";
  const int sum = 't' + 'i' + 'n' + 'y';
  return sum + a * 3 + message[a & 7] + (counter + b) + calls;
}

TEST(EbpfElf, LoadsRelocatesAndRuns) {
  const auto elf = ReadObject();
  ASSERT_FALSE(elf.empty());
  auto size = ElfStorageSize(elf);
  ASSERT_TRUE(size.ok());
  Loaded loaded = Load(elf);
  ASSERT_TRUE(loaded.program.ok())
      << loaded.program.status().message() << " @" << loaded.program.status().position();
  EXPECT_LE(*size, loaded.storage.size());
  auto verified = Verify(*loaded.program, kHelpers);
  ASSERT_TRUE(verified.ok()) << verified.status().message() << " @" << verified.status().position();
  alignas(8) uint8_t stack[Vm::kFrameSize * 4];
  Vm vm(*verified, stack);
  int32_t input[2] = {5, 10};
  std::span<uint8_t> bytes(reinterpret_cast<uint8_t*>(input), sizeof input);
  ASSERT_EQ(vm.Run(bytes, 10'000), RunExit::kFinished)
      << runtime::ToString(vm.trap_reason()) << " pc " << vm.pc();
  EXPECT_EQ(static_cast<int32_t>(vm.result()), Expected(5, 10, 5, 1));
  // .data and .bss persist across runs of the same instance.
  ASSERT_EQ(vm.Run(bytes, 10'000), RunExit::kFinished);
  EXPECT_EQ(static_cast<int32_t>(vm.result()), Expected(5, 10, 15, 2));
}

TEST(EbpfElf, EntrySelection) {
  const auto elf = ReadObject();
  EXPECT_EQ(Load(elf, nullptr).program.status().code(),
            ErrorCode::kInvalid);  // entry and Bump are global
  EXPECT_EQ(Load(elf, "missing").program.status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Load(elf, "Bump").program.ok());
}

TEST(EbpfElf, FunctionSlotsLetOneLoadedObjectStartAtSeveralFunctions) {
  const auto elf = ReadObject();
  Loaded loaded = Load(elf, "entry");
  ASSERT_TRUE(loaded.program.ok());
  const Result<uint32_t> bump = ElfFunctionSlot(elf, "Bump");
  ASSERT_TRUE(bump.ok()) << bump.status().message();
  EXPECT_EQ(*bump, Load(elf, "Bump").program->entry);
  EXPECT_EQ(*ElfFunctionSlot(elf, "entry"), loaded.program->entry);
  EXPECT_EQ(ElfFunctionSlot(elf, "missing").status().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(ElfFunctionSlot(std::span<const uint8_t>(elf).first(40), "Bump").ok());

  // Bump(x) run from the program loaded for `entry`: .data/.bss are the same instance's.
  auto verified = Verify(*loaded.program, kHelpers);
  ASSERT_TRUE(verified.ok());
  const Result<EntryPoint> start = verified->EntryAt(*bump);
  ASSERT_TRUE(start.ok());
  alignas(8) uint8_t stack[Vm::kFrameSize * 4];
  Vm vm(*verified, stack);
  vm.Start(*start, {});
  ASSERT_EQ(vm.Resume(10'000), RunExit::kFinished);
  EXPECT_EQ(static_cast<int32_t>(vm.result()), 5 + 1);  // counter 5 + x (r1 = 0), calls 1
}

TEST(EbpfElf, StorageTooSmall) {
  const auto elf = ReadObject();
  std::vector<uint8_t> storage(16);
  EXPECT_EQ(LoadElf(elf, storage, "entry").status().code(), ErrorCode::kResourceExhausted);
}

TEST(EbpfElf, EveryTruncationIsRejected) {
  const auto elf = ReadObject();
  for (size_t n = 0; n < elf.size(); ++n) {
    std::vector<uint8_t> prefix(elf.begin(), elf.begin() + static_cast<long>(n));
    Loaded loaded = Load(prefix);
    EXPECT_FALSE(loaded.program.ok()) << "prefix " << n;
  }
}

// Flipping any single byte must never crash the loader; whatever loads must still verify or be
// rejected cleanly, and verified code must run without escaping its regions.
TEST(EbpfElf, EverySingleByteCorruptionIsHandled) {
  const auto elf = ReadObject();
  for (size_t i = 0; i < elf.size(); ++i) {
    for (uint8_t x : {0x01, 0x80, 0xff}) {
      auto bad = elf;
      bad[i] ^= x;
      Loaded loaded = Load(bad);
      if (!loaded.program.ok()) continue;
      auto verified = Verify(*loaded.program, kHelpers);
      if (!verified.ok()) continue;
      alignas(8) uint8_t stack[Vm::kFrameSize * 2];
      Vm vm(*verified, stack);
      int32_t input[2] = {1, 2};
      (void)vm.Run({reinterpret_cast<uint8_t*>(input), sizeof input}, 10'000);
    }
  }
}

void Poke64(std::vector<uint8_t>& b, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void Poke16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v);
  b[at + 1] = static_cast<uint8_t>(v >> 8);
}

TEST(EbpfElf, BadHeadersAreRejectedWithTheirOffset) {
  const auto elf = ReadObject();
  struct Case {
    size_t at;
    uint8_t value;
    ErrorCode code;
    uint32_t position;
  };
  for (const Case& c :
       {Case{0, 0x7e, ErrorCode::kMalformed, 0}, Case{4, 1, ErrorCode::kUnsupported, 4},
        Case{5, 2, ErrorCode::kUnsupported, 4}, Case{16, 2, ErrorCode::kUnsupported, 16},
        Case{18, 62, ErrorCode::kUnsupported, 18}, Case{58, 40, ErrorCode::kMalformed, 58}}) {
    auto bad = elf;
    bad[c.at] = c.value;
    const Status status = Load(bad).program.status();
    EXPECT_EQ(status.code(), c.code) << "byte " << c.at << ": " << status.message();
    EXPECT_EQ(status.position(), c.position) << status.message();
  }
  auto bad = elf;
  Poke64(bad, 40, 1ull << 62);  // section table far outside the file
  EXPECT_EQ(Load(bad).program.status().code(), ErrorCode::kTruncated);
  bad = elf;
  Poke16(bad, 60, 0xffff);  // absurd section count
  EXPECT_EQ(Load(bad).program.status().code(), ErrorCode::kOutOfRange);
  bad = elf;
  Poke16(bad, 62, 0xfff0);  // name table index out of range
  EXPECT_EQ(Load(bad).program.status().code(), ErrorCode::kMalformed);
}

// Finds section headers by type to corrupt their fields.
size_t SectionHeader(const std::vector<uint8_t>& elf, uint32_t type) {
  uint64_t table = 0;
  for (int i = 0; i < 8; ++i) table |= uint64_t{elf[40 + i]} << (8 * i);
  const uint16_t count = static_cast<uint16_t>(elf[60] | elf[61] << 8);
  for (uint16_t i = 0; i < count; ++i) {
    const size_t h = table + i * 64u;
    if (elf[h + 4] == type) return h;
  }
  return 0;
}

TEST(EbpfElf, BadSectionsAndRelocationsAreRejected) {
  const auto elf = ReadObject();
  const size_t rel = SectionHeader(elf, 9);
  const size_t symtab = SectionHeader(elf, 2);
  ASSERT_NE(rel, 0u);
  ASSERT_NE(symtab, 0u);
  auto contents = [&](size_t header) {
    uint64_t off = 0;
    for (int i = 0; i < 8; ++i) off |= uint64_t{elf[header + 24 + i]} << (8 * i);
    return static_cast<size_t>(off);
  };
  auto bad = elf;
  Poke64(bad, rel + 32, 1ull << 40);  // relocation section larger than the file
  EXPECT_EQ(Load(bad).program.status().code(), ErrorCode::kTruncated);
  bad = elf;
  Poke64(bad, contents(rel), 3);  // relocation offset not slot aligned
  EXPECT_EQ(Load(bad).program.status().code(), ErrorCode::kMalformed);
  bad = elf;
  Poke64(bad, contents(rel), 1ull << 20);  // relocation offset past .text
  EXPECT_EQ(Load(bad).program.status().code(), ErrorCode::kMalformed);
  bad = elf;
  bad[contents(rel) + 8] = 7;  // unsupported relocation type
  EXPECT_EQ(Load(bad).program.status().code(), ErrorCode::kUnsupported);
  bad = elf;
  bad[contents(rel) + 12] = 0xff;  // symbol index outside the table
  EXPECT_EQ(Load(bad).program.status().code(), ErrorCode::kMalformed);
  bad = elf;
  Poke64(bad, contents(rel), 8);  // R_BPF_64_64 on the second half of an lddw / non-lddw
  EXPECT_FALSE(Load(bad).program.ok());
  bad = elf;
  bad[rel + 4] = 4;  // SHT_RELA
  EXPECT_EQ(Load(bad).program.status().code(), ErrorCode::kUnsupported);
  bad = elf;
  Poke64(bad, symtab + 56, 16);  // symbol entry size
  EXPECT_FALSE(Load(bad).program.ok());
}

}  // namespace
}  // namespace tc::ebpf

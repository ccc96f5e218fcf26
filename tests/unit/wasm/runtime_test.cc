// tc_wasm as an embedder sees it: decode errors, limits, fuel, preemption, blocking host calls,
// host-import resolution, memory views, stack exhaustion and the memory quota.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tc/wasm/instance.h"
#include "tc/wasm/module.h"
#include "tc/wasm/thread.h"

namespace {

using tc::ErrorCode;
using tc::runtime::HostAction;
using tc::runtime::RunExit;
using tc::runtime::TrapReason;
using namespace tc::wasm;

std::vector<uint8_t> ReadModule(const char* name) {
  std::ifstream in(std::string(TC_WASM_TEST_MODULES) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct HostState {
  std::string logged;
  bool trap_next = false;
};

HostAction HostGet(void*, HostCall&) { return HostAction::kBlock; }

HostAction HostLog(void* context, HostCall& call) {
  auto* state = static_cast<HostState*>(context);
  if (state->trap_next) return HostAction::kTrap;
  auto bytes = call.memory.Bytes(static_cast<uint32_t>(call.values[0]),
                                 static_cast<uint32_t>(call.values[1]));
  if (!bytes.ok()) {
    call.values[0] = static_cast<uint32_t>(-1);
    return HostAction::kContinue;
  }
  state->logged.assign(bytes->begin(), bytes->end());
  call.values[0] = 0;
  return HostAction::kContinue;
}

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = ReadModule("metering.wasm");
    ASSERT_FALSE(binary_.empty());
    auto module = Decode(binary_, module_arena_, Limits{});
    ASSERT_TRUE(module.ok()) << module.status().message();
    module_ = *module;
  }

  void Instantiate(uint64_t memory_quota = kPageSize) {
    memory_.assign(memory_quota, 0xAA);
    ASSERT_TRUE(ResolveHostImports(*module_, host_table_, functions_, externs_).ok());
    InstanceOptions options;
    options.memory_storage = memory_;
    auto instance =
        tc::wasm::Instantiate(*module_, std::span(externs_, 2), instance_arena_, options);
    ASSERT_TRUE(instance.ok()) << instance.status().message();
    instance_ = *instance;
  }

  const Function& Export(const char* name) {
    auto e = instance_->GetExport(name, ExternKind::kFunction);
    EXPECT_TRUE(e.ok()) << name;
    return *e->function;
  }

  std::vector<uint8_t> binary_;
  std::vector<uint8_t> module_storage_ = std::vector<uint8_t>(1 << 16);
  std::vector<uint8_t> instance_storage_ = std::vector<uint8_t>(1 << 14);
  Arena module_arena_{module_storage_};
  Arena instance_arena_{instance_storage_};
  const Module* module_ = nullptr;
  Instance* instance_ = nullptr;
  std::vector<uint8_t> memory_;
  HostState host_;
  HostFunctionEntry host_table_[2] = {{"env", "get", ":i", HostGet, nullptr},
                                      {"env", "log", "ii:i", HostLog, &host_}};
  Function functions_[2];
  Extern externs_[2];
  std::vector<Slot> stack_ = std::vector<Slot>(4096);
  std::vector<Frame> frames_ = std::vector<Frame>(64);
};

TEST_F(RuntimeTest, FuelSuspendsAndResumesExactly) {
  Instantiate();
  Thread thread(stack_, frames_);
  const Slot n = 10000;
  ASSERT_TRUE(thread.Start(Export("count"), {&n, 1}).ok());
  int suspensions = 0;
  RunExit exit;
  for (;;) {
    thread.set_fuel(500);
    exit = thread.Run();
    if (exit != RunExit::kOutOfFuel) break;
    ++suspensions;
  }
  ASSERT_EQ(exit, RunExit::kFinished);
  EXPECT_GT(suspensions, 10);
  EXPECT_EQ(thread.results()[0], 10000u);
}

TEST_F(RuntimeTest, ZeroFuelStopsBeforeTheFirstInstruction) {
  Instantiate();
  Thread thread(stack_, frames_);
  const Slot n = 3;
  ASSERT_TRUE(thread.Start(Export("count"), {&n, 1}).ok());
  thread.set_fuel(0);
  EXPECT_EQ(thread.Run(), RunExit::kOutOfFuel);
  EXPECT_EQ(thread.Run(), RunExit::kOutOfFuel);  // still nothing to spend
  thread.set_fuel(1'000'000);
  ASSERT_EQ(thread.Run(), RunExit::kFinished);
  EXPECT_EQ(thread.results()[0], 3u);
  EXPECT_GT(thread.fuel(), 0);
  EXPECT_LT(thread.fuel(), 1'000'000);
}

TEST_F(RuntimeTest, PreemptionFromAnotherThreadStopsAnEndlessLoop) {
  Instantiate();
  Thread thread(stack_, frames_);
  ASSERT_TRUE(thread.Start(Export("spin"), {}).ok());
  std::thread timer([&thread] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    thread.RequestPreemption();
  });
  EXPECT_EQ(thread.Run(), RunExit::kPreempted);
  timer.join();
  // Resumable: with a budget it now stops for fuel instead.
  thread.set_fuel(1000);
  EXPECT_EQ(thread.Run(), RunExit::kOutOfFuel);
}

TEST_F(RuntimeTest, BlockingHostCallResumesWithTheHostResult) {
  Instantiate();
  Thread thread(stack_, frames_);
  ASSERT_TRUE(thread.Start(Export("wait"), {}).ok());
  ASSERT_EQ(thread.Run(), RunExit::kBlocked);
  ASSERT_EQ(thread.blocked_results().size(), 1u);
  thread.blocked_results()[0] = 41;
  ASSERT_EQ(thread.Run(), RunExit::kFinished);
  EXPECT_EQ(thread.results()[0], 42u);
  EXPECT_EQ(thread.host_calls(), 1u);
}

TEST_F(RuntimeTest, HostFunctionsSeeOnlyGuestMemoryInBounds) {
  Instantiate();
  Thread thread(stack_, frames_);
  Slot args[2] = {16, 5};
  ASSERT_TRUE(thread.Start(Export("log"), args).ok());
  ASSERT_EQ(thread.Run(), RunExit::kFinished);
  EXPECT_EQ(thread.results()[0], 0u);
  EXPECT_EQ(host_.logged, "hello");

  Slot outside[2] = {kPageSize - 2, 5};
  ASSERT_TRUE(thread.Start(Export("log"), outside).ok());
  ASSERT_EQ(thread.Run(), RunExit::kFinished);
  EXPECT_EQ(static_cast<uint32_t>(thread.results()[0]), UINT32_MAX);

  host_.trap_next = true;
  ASSERT_TRUE(thread.Start(Export("log"), args).ok());
  EXPECT_EQ(thread.Run(), RunExit::kTrapped);
  EXPECT_EQ(thread.trap_reason(), TrapReason::kHostFault);
}

TEST_F(RuntimeTest, DeepRecursionExhaustsTheCallStackNotTheNativeOne) {
  Instantiate();
  Thread thread(stack_, frames_);
  const Slot zero = 0;
  ASSERT_TRUE(thread.Start(Export("recurse"), {&zero, 1}).ok());
  EXPECT_EQ(thread.Run(), RunExit::kTrapped);
  EXPECT_EQ(thread.trap_reason(), TrapReason::kCallStackExhausted);

  std::vector<Slot> small_stack(40);
  std::vector<Frame> many_frames(1000);
  Thread small(small_stack, many_frames);
  ASSERT_TRUE(small.Start(Export("recurse"), {&zero, 1}).ok());
  EXPECT_EQ(small.Run(), RunExit::kTrapped);
  EXPECT_EQ(small.trap_reason(), TrapReason::kValueStackExhausted);
}

TEST_F(RuntimeTest, MemoryQuotaBelowOnePage) {
  Instantiate(4096);
  Thread thread(stack_, frames_);
  Slot address = 4095;
  ASSERT_TRUE(thread.Start(Export("poke"), {&address, 1}).ok());
  ASSERT_EQ(thread.Run(), RunExit::kFinished);
  EXPECT_EQ(thread.results()[0], 1u);
  address = 4096;
  ASSERT_TRUE(thread.Start(Export("poke"), {&address, 1}).ok());
  EXPECT_EQ(thread.Run(), RunExit::kTrapped);
  EXPECT_EQ(thread.trap_reason(), TrapReason::kMemoryOutOfBounds);
  const Slot one = 1;
  ASSERT_TRUE(thread.Start(Export("grow"), {&one, 1}).ok());
  ASSERT_EQ(thread.Run(), RunExit::kFinished);
  EXPECT_EQ(static_cast<int32_t>(thread.results()[0]), -1);
  EXPECT_EQ(instance_->memory->pages, 1u);
}

TEST_F(RuntimeTest, MemoryGrowWithinTheQuota) {
  Instantiate(3 * kPageSize);
  Thread thread(stack_, frames_);
  const Slot two = 2;
  ASSERT_TRUE(thread.Start(Export("grow"), {&two, 1}).ok());
  ASSERT_EQ(thread.Run(), RunExit::kFinished);
  EXPECT_EQ(thread.results()[0], 1u);
  EXPECT_EQ(instance_->memory->accessible, 3 * kPageSize);
  EXPECT_EQ(memory_[3 * kPageSize - 1], 0);  // grown memory is zeroed
}

TEST_F(RuntimeTest, HostImportsResolvedByModuleNameAndSignature) {
  Function functions[2];
  Extern externs[2];
  const HostFunctionEntry wrong_signature[2] = {{"env", "get", ":I", HostGet, nullptr},
                                                {"env", "log", "ii:i", HostLog, nullptr}};
  tc::Status s = ResolveHostImports(*module_, wrong_signature, functions, externs);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.position(), 0u);
  const HostFunctionEntry missing[1] = {{"env", "get", ":i", HostGet, nullptr}};
  s = ResolveHostImports(*module_, missing, functions, externs);
  EXPECT_EQ(s.code(), ErrorCode::kNotFound);
  EXPECT_EQ(s.position(), 1u);
  const HostFunctionEntry wrong_module[2] = {{"tc", "get", ":i", HostGet, nullptr},
                                             {"env", "log", "ii:i", HostLog, nullptr}};
  EXPECT_EQ(ResolveHostImports(*module_, wrong_module, functions, externs).code(),
            ErrorCode::kNotFound);
}

TEST_F(RuntimeTest, InstantiationRejectsAQuotaBelowTheInitialPages) {
  ASSERT_TRUE(ResolveHostImports(*module_, host_table_, functions_, externs_).ok());
  InstanceOptions options;  // no memory storage at all
  auto instance = tc::wasm::Instantiate(*module_, std::span(externs_, 2), instance_arena_, options);
  EXPECT_EQ(instance.status().code(), ErrorCode::kResourceExhausted);
}

TEST_F(RuntimeTest, EveryTruncationIsMalformedUnlessAtASectionBoundary) {
  int rejected = 0;
  for (size_t n = 0; n < binary_.size(); ++n) {
    std::vector<uint8_t> prefix(binary_.begin(), binary_.begin() + n);
    std::vector<uint8_t> storage(1 << 16);
    Arena arena(storage);
    auto m = Decode(prefix, arena, Limits{});
    if (!m.ok()) {
      ++rejected;
      EXPECT_EQ(m.status().code(), ErrorCode::kMalformed) << "prefix " << n;
      EXPECT_LE(m.status().position(), n) << "prefix " << n;
    }
  }
  EXPECT_GT(rejected, static_cast<int>(binary_.size()) - 10);
}

TEST_F(RuntimeTest, EverySingleByteMutationDecodesOrFailsCleanly) {
  int rejected = 0;
  for (size_t i = 8; i < binary_.size(); ++i) {
    for (uint8_t delta : {1, 0x40, 0x80}) {
      std::vector<uint8_t> mutated = binary_;
      mutated[i] = static_cast<uint8_t>(mutated[i] + delta);
      std::vector<uint8_t> storage(1 << 16);
      Arena arena(storage);
      auto m = Decode(mutated, arena, Limits{});
      if (!m.ok()) {
        ++rejected;
        EXPECT_NE(m.status().code(), ErrorCode::kInternal);
        EXPECT_TRUE(m.status().has_position());
      }
    }
  }
  EXPECT_GT(rejected, 0);
}

TEST(MemoryViewTest, AModuleWithoutMemoryHasOnlyTheEmptyBuffer) {
  const MemoryView none;
  const auto empty = none.Bytes(0, 0);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(none.Bytes(0, 1).status().code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(none.Bytes(1, 0).status().code(), ErrorCode::kOutOfRange);
}

TEST(DecodeTest, ErrorsCarryKindMessageAndOffset) {
  std::vector<uint8_t> storage(4096);
  Arena arena(storage);
  const uint8_t bad_magic[] = {0x00, 0x61, 0x73, 0x6E, 1, 0, 0, 0};
  auto r = Decode(bad_magic, arena, Limits{});
  EXPECT_EQ(r.status().code(), ErrorCode::kMalformed);
  EXPECT_STREQ(r.status().message(), "magic header not detected");

  // A function whose body adds an i32 to an i64: invalid at the i32.add (offset 25).
  const uint8_t type_error[] = {0,    0x61, 0x73, 0x6D, 1,    0,    0,
                                0,    1,    4,    1,    0x60, 0,    0,  // type () -> ()
                                3,    2,    1,    0,                    // one function
                                10,   10,   1,    8,    0,              // code: one body, no locals
                                0x41, 1,    0x42, 1,    0x6A, 0x1A, 0x0B};
  r = Decode(type_error, arena, Limits{});
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalid) << r.status().message();
  EXPECT_EQ(r.status().position(), 27u);
}

TEST(DecodeTest, LimitsAreEnforced) {
  const uint8_t module[] = {
      0, 0x61, 0x73, 0x6D, 1,  0, 0, 0, 1, 4, 1,    0x60, 0,    0,
      3, 2,    1,    0,    10, 8, 1, 6, 1, 3, 0x7F, 0x01, 0x01, 0x0B};  // 3 i32 locals
  std::vector<uint8_t> storage(4096);
  Arena arena(storage);
  Limits limits;
  limits.max_locals = 2;
  auto r = Decode(module, arena, limits);
  EXPECT_EQ(r.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_STREQ(r.status().message(), "too many locals");
  limits.max_locals = 3;
  Arena fresh(storage);
  auto ok = Decode(module, fresh, limits);
  EXPECT_TRUE(ok.ok()) << ok.status().message() << " @" << ok.status().position();
  // An arena that cannot hold the module is an error, not an overflow.
  std::vector<uint8_t> tiny(64);
  Arena small(tiny);
  EXPECT_EQ(Decode(module, small, Limits{}).status().code(), ErrorCode::kResourceExhausted);
}

}  // namespace

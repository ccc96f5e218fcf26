// The WASI subset called directly through its host-function entries on a small guest memory:
// the good paths and, for every pointer argument, the bad ones (errno, nothing written).
#include "tc/wasi/wasi.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace tc::wasi {
namespace {

constexpr uint32_t kMemorySize = 256;
constexpr uint64_t kFault = static_cast<uint64_t>(Errno::kFault);

struct CapturingSink : OutputSink {
  bool Write(uint32_t fd, std::span<const uint8_t> bytes) override {
    (fd == 2 ? err : out).append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return ok;
  }
  std::string out, err;
  bool ok = true;
};

struct FakeSystem : SystemInterface {
  uint64_t NowNs(uint32_t clock_id) override { return 1000000007ull * (clock_id + 1); }
  bool Random(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = 0xA5;
    return available;
  }
  bool available = true;
};

class WasiTest : public ::testing::Test {
 protected:
  WasiTest() : context_(sink_, system_, args_, environ_) {
    memory_.data = bytes_.data();
    memory_.accessible = memory_.capacity = kMemorySize;
  }

  // Calls `name` with `args`; returns values[0] (the errno for all but proc_exit).
  uint64_t Call(const char* name, std::vector<uint64_t> args,
                runtime::HostAction* action = nullptr) {
    args.resize(4);
    wasm::HostCall call{args.data(), nullptr, wasm::MemoryView(&memory_), nullptr};
    for (const wasm::HostFunctionEntry& e : context_.host_functions()) {
      if (std::strcmp(e.name, name) != 0) continue;
      const runtime::HostAction a = e.function(e.context, call);
      if (action != nullptr) *action = a;
      return args[0];
    }
    ADD_FAILURE() << "no entry " << name;
    return ~0ull;
  }
  void Put32(uint32_t at, uint32_t v) { std::memcpy(&bytes_[at], &v, 4); }
  uint32_t Get32(uint32_t at) {
    uint32_t v;
    std::memcpy(&v, &bytes_[at], 4);
    return v;
  }
  bool Untouched(uint32_t from) {
    for (uint32_t i = from; i < kMemorySize; ++i) {
      if (bytes_[i] != 0) return false;
    }
    return true;
  }

  std::array<uint8_t, kMemorySize> bytes_{};
  wasm::Memory memory_;
  CapturingSink sink_;
  FakeSystem system_;
  std::array<const char*, 2> args_{"prog", "-v"};
  std::array<const char*, 1> environ_{"A=1"};
  Context context_;
};

TEST_F(WasiTest, EveryEntryIsInTheWasiModule) {
  for (const wasm::HostFunctionEntry& e : context_.host_functions()) {
    EXPECT_STREQ(e.module, "wasi_snapshot_preview1");
    EXPECT_EQ(e.context, &context_);
  }
}

TEST_F(WasiTest, FdWriteGathersIovecsToStdoutAndStderr) {
  std::memcpy(&bytes_[100], "hello world", 11);
  Put32(0, 100), Put32(4, 6), Put32(8, 106), Put32(12, 5);
  EXPECT_EQ(Call("fd_write", {1, 0, 2, 16}), 0u);
  EXPECT_EQ(sink_.out, "hello world");
  EXPECT_EQ(Get32(16), 11u);
  EXPECT_EQ(Call("fd_write", {2, 8, 1, 16}), 0u);
  EXPECT_EQ(sink_.err, "world");
}

TEST_F(WasiTest, FdWriteBadPointersAreEfaultAndWriteNothing) {
  Put32(0, 100), Put32(4, 4);
  Put32(8, 250), Put32(12, 10);                          // buffer runs past the end
  Put32(16, 0xFFFFFFF0u), Put32(20, 0x20);               // address + length wraps around 2^32
  EXPECT_EQ(Call("fd_write", {1, 0, 2, 32}), kFault);    // second iovec out of bounds
  EXPECT_EQ(Call("fd_write", {1, 16, 1, 32}), kFault);   // wrap-around
  EXPECT_EQ(Call("fd_write", {1, 252, 1, 32}), kFault);  // iovec array past the end
  EXPECT_EQ(Call("fd_write", {1, 0xFFFFFFFCu, 1, 32}), kFault);  // iovec array wraps
  EXPECT_EQ(Call("fd_write", {1, 0, 0x20000001u, 32}), kFault);  // count * 8 wraps 32 bits
  EXPECT_EQ(Call("fd_write", {1, 0, 1, 254}), kFault);           // nwritten out of bounds
  EXPECT_TRUE(sink_.out.empty());
  EXPECT_TRUE(Untouched(32));
}

TEST_F(WasiTest, FdWriteBadDescriptorsAndSinkFailure) {
  Put32(0, 100), Put32(4, 1);
  EXPECT_EQ(Call("fd_write", {0, 0, 1, 16}), static_cast<uint64_t>(Errno::kBadf));
  EXPECT_EQ(Call("fd_write", {3, 0, 1, 16}), static_cast<uint64_t>(Errno::kBadf));
  sink_.ok = false;
  EXPECT_EQ(Call("fd_write", {1, 0, 1, 16}), static_cast<uint64_t>(Errno::kIo));
}

TEST_F(WasiTest, FdCloseThenWriteIsEbadf) {
  Put32(0, 100), Put32(4, 1);
  EXPECT_EQ(Call("fd_close", {1}), 0u);
  EXPECT_EQ(Call("fd_close", {1}), static_cast<uint64_t>(Errno::kBadf));
  EXPECT_EQ(Call("fd_write", {1, 0, 1, 16}), static_cast<uint64_t>(Errno::kBadf));
  EXPECT_EQ(Call("fd_close", {7}), static_cast<uint64_t>(Errno::kBadf));
}

TEST_F(WasiTest, FdSeekOnStreamsIsEspipe) {
  EXPECT_EQ(Call("fd_seek", {1, 0, 0, 16}), static_cast<uint64_t>(Errno::kSpipe));
  EXPECT_EQ(Call("fd_seek", {9, 0, 0, 16}), static_cast<uint64_t>(Errno::kBadf));
  EXPECT_TRUE(Untouched(0));
}

TEST_F(WasiTest, FdFdstatGetDescribesACharacterDevice) {
  EXPECT_EQ(Call("fd_fdstat_get", {1, 64}), 0u);
  EXPECT_EQ(bytes_[64], 2);                            // character device
  EXPECT_EQ(Get32(72), 1u << 6);                       // rights: fd_write
  EXPECT_EQ(Call("fd_fdstat_get", {1, 240}), kFault);  // 24 bytes do not fit
  EXPECT_EQ(Call("fd_fdstat_get", {1, 0xFFFFFFF8u}), kFault);
  EXPECT_EQ(Call("fd_fdstat_get", {5, 64}), static_cast<uint64_t>(Errno::kBadf));
}

TEST_F(WasiTest, ArgsAndEnviron) {
  EXPECT_EQ(Call("args_sizes_get", {0, 4}), 0u);
  EXPECT_EQ(Get32(0), 2u);
  EXPECT_EQ(Get32(4), 8u);  // "prog\0-v\0"
  EXPECT_EQ(Call("args_get", {16, 64}), 0u);
  EXPECT_EQ(Get32(16), 64u);
  EXPECT_EQ(Get32(20), 69u);
  EXPECT_STREQ(reinterpret_cast<const char*>(&bytes_[69]), "-v");
  EXPECT_EQ(Call("environ_sizes_get", {0, 4}), 0u);
  EXPECT_EQ(Get32(0), 1u);
  EXPECT_EQ(Get32(4), 4u);
  EXPECT_EQ(Call("environ_get", {128, 160}), 0u);
  EXPECT_STREQ(reinterpret_cast<const char*>(&bytes_[160]), "A=1");
}

TEST_F(WasiTest, ArgsBadPointersAreEfault) {
  EXPECT_EQ(Call("args_sizes_get", {254, 0}), kFault);
  EXPECT_EQ(Call("args_sizes_get", {0, 0xFFFFFFFEu}), kFault);
  EXPECT_EQ(Call("args_get", {252, 64}), kFault);  // two pointers need 8 bytes
  EXPECT_EQ(Call("args_get", {16, 250}), kFault);  // 8 string bytes do not fit
  EXPECT_EQ(Call("environ_get", {0xFFFFFFFEu, 64}), kFault);
  EXPECT_TRUE(Untouched(0));
}

TEST_F(WasiTest, ClockTimeGet) {
  EXPECT_EQ(Call("clock_time_get", {1, 0, 8}), 0u);
  uint64_t t;
  std::memcpy(&t, &bytes_[8], 8);
  EXPECT_EQ(t, 2000000014ull);
  EXPECT_EQ(Call("clock_time_get", {4, 0, 8}), static_cast<uint64_t>(Errno::kInval));
  EXPECT_EQ(Call("clock_time_get", {1, 0, 250}), kFault);
  EXPECT_EQ(Call("clock_time_get", {1, 0, 0xFFFFFFFCu}), kFault);
}

TEST_F(WasiTest, RandomGet) {
  EXPECT_EQ(Call("random_get", {10, 4}), 0u);
  EXPECT_EQ(Get32(10), 0xA5A5A5A5u);
  EXPECT_EQ(Call("random_get", {250, 7}), kFault);
  EXPECT_EQ(Call("random_get", {0xFFFFFFFFu, 2}), kFault);
  EXPECT_TRUE(Untouched(14));
  system_.available = false;
  EXPECT_EQ(Call("random_get", {10, 4}), static_cast<uint64_t>(Errno::kIo));
}

TEST_F(WasiTest, ProcExitRecordsTheCodeAndEndsTheGuest) {
  runtime::HostAction action = runtime::HostAction::kContinue;
  EXPECT_FALSE(context_.exited());
  Call("proc_exit", {42}, &action);
  EXPECT_EQ(action, runtime::HostAction::kTrap);
  EXPECT_TRUE(context_.exited());
  EXPECT_EQ(context_.exit_code(), 42u);
}

TEST_F(WasiTest, SchedYieldSucceeds) { EXPECT_EQ(Call("sched_yield", {}), 0u); }

TEST_F(WasiTest, MemorylessGuestGetsEfault) {
  memory_.accessible = 0;
  EXPECT_EQ(Call("clock_time_get", {0, 0, 0}), kFault);
  EXPECT_EQ(Call("fd_write", {1, 0, 0, 0}), kFault);
}

}  // namespace
}  // namespace tc::wasi

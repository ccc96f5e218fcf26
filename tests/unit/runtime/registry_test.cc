#include <gtest/gtest.h>

#include "tc/runtime/runtime.h"

namespace tc::runtime {
namespace {

class StubRuntime final : public Runtime {
 public:
  explicit StubRuntime(uint8_t id) : id_(id) {}
  uint8_t type_id() const override { return id_; }
  const char* name() const override { return "stub"; }
  Result<Instance*> Instantiate(const InstanceSpec&, std::span<uint8_t>) override {
    return Status(ErrorCode::kUnsupported, "stub");
  }

 private:
  uint8_t id_;
};

TEST(RuntimeRegistry, FindsRegisteredRuntimesByType) {
  StubRuntime wasm(0), ebpf(1);
  RuntimeRegistry registry;
  ASSERT_TRUE(registry.Register(wasm).ok());
  ASSERT_TRUE(registry.Register(ebpf).ok());
  EXPECT_EQ(registry.Find(0), &wasm);
  EXPECT_EQ(registry.Find(1), &ebpf);
  EXPECT_EQ(registry.Find(2), nullptr);
}

TEST(RuntimeRegistry, RefusesDuplicatesAndOverflow) {
  StubRuntime a(0), b(0), c(1), d(2), e(3), f(4);
  RuntimeRegistry registry;
  ASSERT_TRUE(registry.Register(a).ok());
  EXPECT_EQ(registry.Register(b).code(), ErrorCode::kAlreadyExists);
  ASSERT_TRUE(registry.Register(c).ok());
  ASSERT_TRUE(registry.Register(d).ok());
  ASSERT_TRUE(registry.Register(e).ok());
  EXPECT_EQ(registry.Register(f).code(), ErrorCode::kResourceExhausted);
}

TEST(Entry, ExportNamesFollowTheGuestAbi) {
  EXPECT_STREQ(ExportName(Entry::kInit), "tc_init");
  EXPECT_STREQ(ExportName(Entry::kLoop), "tc_loop");
  EXPECT_STREQ(ExportName(Entry::kStop), "tc_stop");
  EXPECT_STREQ(ExportName(Entry::kStart), "_start");
}

}  // namespace
}  // namespace tc::runtime

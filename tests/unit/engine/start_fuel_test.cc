// EngineConfig::start_fuel bounds a wasm module's start function, which runs inside Install():
// enough fuel admits the module, too little refuses it and leaves the slot empty.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fake_runtime.h"
#include "tc/engine/engine.h"
#include "tc/wasm/wasm_runtime.h"

namespace tc::engine::testing {
namespace {

std::vector<uint8_t> ReadModule(const char* name) {
  std::ifstream in(std::string(TC_ENGINE_TEST_MODULES) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Result<uint32_t> InstallWith(uint32_t start_fuel) {
  static FakePort port;
  static wasm::WasmRuntime wasm;
  static runtime::RuntimeRegistry registry;
  if (registry.size() == 0) EXPECT_TRUE(registry.Register(wasm).ok());
  alignas(16) static uint8_t pool[kMaxContainers * 96 * 1024];
  EngineConfig config;
  config.start_fuel = start_fuel;
  Engine engine(port, registry, pool, config);
  const std::vector<uint8_t> code = ReadModule("start_loop.wasm");
  EXPECT_FALSE(code.empty());
  image::ContainerMetadata m;
  EXPECT_TRUE(m.uid.Assign("starter").ok());
  m.runtime = image::RuntimeKind::kWasm;
  EXPECT_TRUE(m.entry.loop.Assign("tc_loop").ok());
  m.quotas.memory_limit = 65536;
  m.quotas.stack_bytes = 2048;
  InstallRequest request;
  request.metadata = &m;
  request.code = code;
  Result<uint32_t> id = engine.Install(request);
  if (!id.ok()) {
    for (const Container& c : engine.containers()) EXPECT_EQ(c.state, State::kEmpty);
  }
  return id;
}

TEST(StartFuel, DefaultAdmitsAStartFunctionOfTensOfThousandsOfInstructions) {
  EXPECT_EQ(EngineConfig{}.start_fuel, 1u << 20);
  const Result<uint32_t> id = InstallWith(EngineConfig{}.start_fuel);
  EXPECT_TRUE(id.ok()) << id.status().message();
}

TEST(StartFuel, TooLittleFuelRefusesTheInstall) {
  const Result<uint32_t> id = InstallWith(1000);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(std::string(id.status().message()).find("start function"), std::string::npos);
}

}  // namespace
}  // namespace tc::engine::testing

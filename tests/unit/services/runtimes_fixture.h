// An engine with the real wasm and eBPF runtimes, deterministic under a fake clock
// (MeteredRuntime), and the real host services: the set-up shared by the tests that run
// clang-built containers (SDK containers, devices, the examples). Endpoints and device tables
// differ per test, so the derived fixture registers its own.
#pragma once

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "metered_runtime.h"
#include "tc/ebpf/ebpf_runtime.h"
#include "tc/engine/engine.h"
#include "tc/services/channels.h"
#include "tc/services/host_services.h"
#include "tc/services/memory_kv_storage.h"
#include "tc/wasm/wasm_runtime.h"

namespace tc::services::testing {

// Keeps every log line as "uid: text".
struct RecordingSink final : LogSink {
  void Write(std::string_view uid, std::span<const uint8_t> text) override {
    lines.push_back(std::string(uid) + ": " +
                    std::string(reinterpret_cast<const char*>(text.data()), text.size()));
  }
  std::vector<std::string> lines;
};

class RuntimesFixture : public ::testing::Test {
 protected:
  // `min_fuel_per_run`: see metered_runtime.h.
  explicit RuntimesFixture(uint32_t min_fuel_per_run = 0)
      : metered_wasm_(wasm_, port_, min_fuel_per_run),
        metered_ebpf_(ebpf_, port_, min_fuel_per_run),
        engine_(port_, Registry(), std::span<uint8_t>(pool_.data(), pool_.size())),
        services_({&sink_, &entropy_, &kv_}) {
    port_.set_on_tick([this] { engine_.OnTick(); });
    EXPECT_TRUE(services_.Register(engine_).ok());
  }

  // Installs and starts a container; 0 (and a test failure) when the engine refuses it. `code`
  // must outlive the container.
  uint32_t InstallAndStart(const image::ContainerMetadata& metadata,
                           std::span<const uint8_t> code) {
    engine::InstallRequest request;
    request.metadata = &metadata;
    request.code = code;
    const Result<uint32_t> id = engine_.Install(request);
    EXPECT_TRUE(id.ok()) << metadata.uid.view() << ": " << id.status().message();
    if (!id.ok()) return 0;
    EXPECT_TRUE(engine_.Start(*id).ok());
    return *id;
  }

  // Steps the engine until the fake clock reaches `time_us`, advancing the clock to the next
  // wake-up whenever nothing is ready.
  void RunUntil(uint64_t time_us) {
    while (port_.NowUs() < time_us) {
      const engine::StepResult r = engine_.Step();
      if (r.ran) continue;
      const uint64_t until = r.next_wake_us < time_us ? r.next_wake_us : time_us;
      port_.AdvanceNs(until * 1000 > port_.now_ns() ? until * 1000 - port_.now_ns() : 1000);
    }
  }

  const engine::Container& Get(uint32_t id) const { return *engine_.Find(id); }

  engine::testing::FakePort port_;
  wasm::WasmRuntime wasm_;
  ebpf::EbpfRuntime ebpf_;
  engine::testing::MeteredRuntime metered_wasm_;
  engine::testing::MeteredRuntime metered_ebpf_;
  runtime::RuntimeRegistry registry_;
  std::vector<uint8_t> pool_ = std::vector<uint8_t>(engine::kMaxContainers * 96 * 1024 + 16);
  engine::Engine engine_;
  RecordingSink sink_;
  DeterministicEntropy entropy_{7};
  MemoryKvStorage<8> kv_;
  HostServices services_;
  Channels channels_;

 private:
  runtime::RuntimeRegistry& Registry() {
    EXPECT_TRUE(registry_.Register(metered_wasm_).ok());
    EXPECT_TRUE(registry_.Register(metered_ebpf_).ok());
    return registry_;
  }
};

}  // namespace tc::services::testing

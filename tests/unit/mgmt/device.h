// One simulated device for the management tests: a fake clock, the real wasm and eBPF runtimes
// (metered, so time advances with the work done), an engine, the host services logging into a
// LogRing, the Management service and its CoAP server — over a ContainerStore the test owns, so
// a "restart" is a new Device over the same store.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "metered_runtime.h"
#include "tc/ebpf/ebpf_runtime.h"
#include "tc/engine/engine.h"
#include "tc/mgmt/management.h"
#include "tc/services/host_services.h"
#include "tc/services/memory_kv_storage.h"
#include "tc/wasm/wasm_runtime.h"

namespace tc::mgmt::testing {

inline uint64_t ReadWallClock(void* context) { return *static_cast<uint64_t*>(context); }

class Device {
 public:
  Device(ContainerStore& store, const image::TrustStore& trust, uint64_t* wall_clock = nullptr)
      : metered_wasm_(wasm_, port_),
        metered_ebpf_(ebpf_, port_),
        engine_(port_, Registry(), std::span<uint8_t>(pool_.data(), pool_.size())),
        logs_(port_),
        services_({&logs_, &entropy_, &kv_}, {1000, 1000}),
        management_(engine_, trust, store, logs_, Config(wall_clock)) {
    port_.set_on_tick([this] { engine_.OnTick(); });
    EXPECT_TRUE(services_.Register(engine_).ok());
    EXPECT_TRUE(management_.Register(server_).ok());
  }

  void RunFor(uint64_t us) {
    const uint64_t until = port_.NowUs() + us;
    while (port_.NowUs() < until) {
      const engine::StepResult r = engine_.Step();
      if (r.ran) continue;
      const uint64_t next = r.next_wake_us < until ? r.next_wake_us : until;
      port_.AdvanceNs(next * 1000 > port_.now_ns() ? next * 1000 - port_.now_ns() : 1000);
    }
  }

  engine::testing::FakePort port_;
  wasm::WasmRuntime wasm_;
  ebpf::EbpfRuntime ebpf_;
  engine::testing::MeteredRuntime metered_wasm_;
  engine::testing::MeteredRuntime metered_ebpf_;
  runtime::RuntimeRegistry registry_;
  std::vector<uint8_t> pool_ = std::vector<uint8_t>(engine::kMaxContainers * 96 * 1024 + 16);
  engine::Engine engine_;
  LogRing logs_;
  services::DeterministicEntropy entropy_{7};
  services::MemoryKvStorage<8> kv_;
  services::HostServices services_;
  Management management_;
  coap::Server server_{0x4000};

 private:
  static ManagementConfig Config(uint64_t* wall_clock) {
    ManagementConfig c;
    c.name = "test-device";
    c.version = "1.2.3";
    c.max_image_size = 128 * 1024;
    if (wall_clock != nullptr) {
      c.wall_clock_s = &ReadWallClock;
      c.wall_clock_context = wall_clock;
    }
    return c;
  }
  runtime::RuntimeRegistry& Registry() {
    EXPECT_TRUE(registry_.Register(metered_wasm_).ok());
    EXPECT_TRUE(registry_.Register(metered_ebpf_).ok());
    return registry_;
  }
};

inline std::vector<uint8_t> ReadModule(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace tc::mgmt::testing

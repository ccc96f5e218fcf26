// A fixture with a fake port, the fake runtime and an engine over a static pool, plus helpers to
// install scripted containers and to run the engine until a given (fake) time.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <initializer_list>
#include <span>
#include <vector>

#include "fake_runtime.h"
#include "tc/engine/engine.h"

namespace tc::engine::testing {

using image::Service;
using image::ServiceBit;

inline Endpoint LocalEndpoint(uint8_t id, Direction direction) {
  Endpoint e;
  e.id = id;
  e.peer.kind = PeerKind::kLocal;
  e.peer.device_class = image::DeviceClass::kSensor;
  e.direction = direction;
  return e;
}

class EngineFixture : public ::testing::Test {
 protected:
  EngineFixture() : runtime_(port_), engine_(port_, Registry(), pool_) {
    port_.set_on_tick([this] { engine_.OnTick(); });
  }

  // Metadata as the image layer would deliver it for `program` (entry names from its exports).
  image::ContainerMetadata Metadata(const FakeProgram& program, const Schedule& schedule = {},
                                    const Permissions& permissions = {},
                                    const Quotas& quotas = DefaultQuotas());
  uint32_t Install(const FakeProgram& program, const Schedule& schedule = {},
                   const Permissions& permissions = {}, const Quotas& quotas = DefaultQuotas());
  // A config update for the container `id` with the next sequence number.
  ConfigUpdate Update(uint32_t id, uint64_t sequence);
  uint32_t InstallAndStart(const FakeProgram& program, const Schedule& schedule = {},
                           const Permissions& permissions = {},
                           const Quotas& quotas = DefaultQuotas());
  static Quotas DefaultQuotas();

  // Steps the engine until the fake clock reaches `time_us`, sleeping (advancing the clock to the
  // next wake-up) whenever nothing is ready. Returns how many dispatches happened.
  int RunUntil(uint64_t time_us);

  // A host call of the container `id` as its runtime would make it; the gate resolves buffers
  // against `memory`.
  runtime::HostReply CallService(uint32_t id, uint16_t service,
                                 std::initializer_list<uint64_t> args, std::span<uint8_t> memory);

  const Container& Get(uint32_t id) const { return *engine_.Find(id); }
  FakeInstance& Instance(uint32_t id) {
    return *static_cast<FakeInstance*>(engine_.Find(id)->instance);
  }

  FakePort port_;
  FakeRuntime runtime_;
  runtime::RuntimeRegistry registry_;
  alignas(16) uint8_t pool_[kMaxContainers * 8192] = {};
  Engine engine_;
  std::deque<FakeProgram> programs_;  // stable addresses: instances point into them
  int installed_ = 0;

 private:
  runtime::RuntimeRegistry& Registry() {
    EXPECT_TRUE(registry_.Register(runtime_).ok());
    return registry_;
  }
};

}  // namespace tc::engine::testing

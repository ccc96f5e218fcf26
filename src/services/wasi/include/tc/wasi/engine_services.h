// The WASI preview1 subset as engine services (docs/wasi.md, "In the engine"): a container
// installed in the engine may import `wasi_snapshot_preview1`; every call passes the gate (the
// `wasi` permission bit, random_get's buffer) and reaches the same services as the `tc` imports:
// fd_write on stdout/stderr is the container's log path (its uid, its rate limit), clocks read the
// engine clock, random_get the entropy port, sched_yield is the engine's yield and proc_exit
// finishes the container with its exit code.
#pragma once

#include <cstdint>

#include "tc/engine/engine.h"
#include "tc/services/host_services.h"
#include "tc/wasi/preview1.h"

namespace tc::wasi {

// Host function numbers kFirstHostFunction + Function (13..24); 28..31 are the Femto helpers.
inline constexpr uint16_t kFirstHostFunction = 13;
static_assert(kFirstHostFunction + kFunctionCount <= services::kFemtoMemcpy);

constexpr uint16_t HostFunctionOf(Function f) {
  return static_cast<uint16_t>(kFirstHostFunction + static_cast<uint16_t>(f));
}

class EngineServices {
 public:
  // `services` supplies the log path and the entropy port.
  explicit EngineServices(services::HostServices& services) : services_(services) {}
  EngineServices(const EngineServices&) = delete;
  EngineServices& operator=(const EngineServices&) = delete;

  // Registers the twelve functions and their `wasi_snapshot_preview1` bindings.
  Status Register(engine::Engine& engine);

 private:
  // Per container slot: its standard streams (fd_close closes them for good).
  struct Slot {
    uint32_t container = 0;  // the id these streams belong to; a new id resets them
    bool used = false;
    Streams streams;
  };

  static runtime::HostReply Dispatch(void* self, engine::ServiceCall& call);
  Streams& StreamsFor(uint32_t id);

  services::HostServices& services_;
  Slot slots_[engine::kMaxContainers];
};

}  // namespace tc::wasi

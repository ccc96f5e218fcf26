// The per-container policy the engine enforces: quotas, schedule and permissions, and the config
// update that changes schedule/permissions at run time. These mirror the metadata model of
// docs/metadata.md field for field; the image layer fills them from verified metadata.
#pragma once

#include <cstdint>

#include "tc/base/fixed_vector.h"

namespace tc::engine {

struct Quotas {
  uint32_t memory_bytes = 4096;  // guest memory (may be below one 64 KiB wasm page)
  uint32_t stack_bytes = 2048;
  uint32_t kv_bytes = 0;     // key-value store bytes (keys + values)
  uint8_t open_handles = 0;  // endpoint handles open at once
};

enum class OverrunPolicy : uint8_t { kThrottle, kStop, kRestart };

// Priority 0 is the most urgent. period_us == 0: not periodic (tc_loop runs back to back, or a
// one-shot _start), budget_us == 0: no budget, deadline_us == 0: deadline = period, slice_us ==
// 0: the engine's default round-robin slice.
struct Schedule {
  uint8_t priority = 8;
  uint32_t period_us = 0;
  uint32_t budget_us = 0;
  uint32_t deadline_us = 0;
  uint32_t slice_us = 0;
  OverrunPolicy on_overrun = OverrunPolicy::kThrottle;
  uint8_t max_restarts = 0;
};

enum class Direction : uint8_t { kIn = 1, kOut = 2, kBoth = 3 };
constexpr bool Allows(Direction declared, Direction wanted) {
  return (static_cast<uint8_t>(declared) & static_cast<uint8_t>(wanted)) ==
         static_cast<uint8_t>(wanted);
}

struct EndpointDecl {
  uint16_t id = 0;  // the number the guest passes to open()
  Direction direction = Direction::kBoth;
};

enum class ViolationPolicy : uint8_t { kDeny, kStop };

inline constexpr size_t kMaxEndpoints = 8;

struct Permissions {
  uint32_t services = 0;  // bit n set = service n (tc/engine/guest_abi.h) may be called
  FixedVector<EndpointDecl, kMaxEndpoints> endpoints;
  ViolationPolicy on_violation = ViolationPolicy::kDeny;

  const EndpointDecl* FindEndpoint(uint16_t id) const {
    for (const EndpointDecl& e : endpoints) {
      if (e.id == id) return &e;
    }
    return nullptr;
  }
};

// An operator's change to a running container; its signature has been checked by the image
// layer. Applied only when `sequence` is greater than the last applied one (no replay).
struct ConfigUpdate {
  uint32_t sequence = 0;
  bool has_schedule = false;
  Schedule schedule;
  bool has_permissions = false;
  Permissions permissions;
};

}  // namespace tc::engine

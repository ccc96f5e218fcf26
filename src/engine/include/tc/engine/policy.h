// The per-container policy the engine enforces is the metadata model of the image layer
// (docs/metadata.md): quotas, schedule, permissions and the config update. This header names
// those types in the engine and adds the few helpers the gate needs.
#pragma once

#include <cstdint>

#include "tc/image/metadata.h"

namespace tc::engine {

using image::ConfigUpdate;
using image::Direction;
using image::Endpoint;
using image::OverrunPolicy;
using image::PeerKind;
using image::Permissions;
using image::Quotas;
using image::Schedule;
using image::ServiceMask;
using image::ViolationPolicy;

// How a guest opens an endpoint (open()'s mode argument) and what a handle may do: bit 0 read,
// bit 1 write.
inline constexpr uint8_t kAccessRead = 1;
inline constexpr uint8_t kAccessWrite = 2;
inline constexpr uint8_t kAccessReadWrite = 3;

constexpr uint8_t AccessOf(Direction direction) {
  switch (direction) {
    case Direction::kIn: return kAccessRead;
    case Direction::kOut: return kAccessWrite;
    case Direction::kBoth: return kAccessReadWrite;
  }
  return 0;
}

// The permission an endpoint's peer needs: devices `endpoint`, other containers `channel`.
constexpr image::Service EndpointPermission(PeerKind peer) {
  return peer == PeerKind::kContainer ? image::Service::kChannel : image::Service::kEndpoint;
}

// True when an endpoint declared with `declared` may be used with `access`.
constexpr bool Allows(Direction declared, uint8_t access) {
  return access != 0 && (AccessOf(declared) & access) == access;
}

// Deadlines count from the release; without a period only an explicit deadline applies.
// UINT64_MAX: no deadline.
constexpr uint64_t RelativeDeadline(const Schedule& s) {
  if (s.deadline_us != 0) return s.deadline_us;
  return s.period_us != 0 ? s.period_us : UINT64_MAX;
}

}  // namespace tc::engine

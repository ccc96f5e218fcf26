// Endpoint declarations for the services tests: a local device or a channel to another container.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>

#include "tc/engine/policy.h"

namespace tc::services::testing {

inline engine::Endpoint DeviceEnd(uint8_t id, image::DeviceClass cls, uint32_t address,
                                  engine::Direction direction) {
  engine::Endpoint e;
  e.id = id;
  e.peer.kind = engine::PeerKind::kLocal;
  e.peer.device_class = cls;
  e.peer.address = address;
  e.direction = direction;
  return e;
}

inline engine::Endpoint ChannelEnd(uint8_t id, std::string_view peer, uint8_t peer_endpoint,
                                   engine::Direction direction) {
  engine::Endpoint e;
  e.id = id;
  e.peer.kind = engine::PeerKind::kContainer;
  EXPECT_TRUE(e.peer.container_uid.Assign(peer).ok());
  e.peer.container_endpoint = peer_endpoint;
  e.direction = direction;
  return e;
}

}  // namespace tc::services::testing

// Builds metadata documents field by field so tests can drop, replace, duplicate or reorder any
// key at any level and check the exact refusal.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tc/cbor/writer.h"
#include "tc/image/metadata.h"

namespace tc::image::testing {

using Emit = std::function<void(cbor::Writer&)>;
using Pairs = std::vector<std::pair<uint64_t, Emit>>;

inline Emit U(uint64_t v) {
  return [v](cbor::Writer& w) { (void)w.WriteUint(v); };
}
inline Emit Neg(uint64_t v) {
  return [v](cbor::Writer& w) { (void)w.WriteNegative(v); };
}
inline Emit T(std::string s) {
  return [s](cbor::Writer& w) { (void)w.WriteText(s); };
}
inline Emit B(std::vector<uint8_t> b) {
  return [b](cbor::Writer& w) { (void)w.WriteBytes(b); };
}
inline Emit Arr(std::vector<Emit> items) {
  return [items](cbor::Writer& w) {
    (void)w.WriteArrayHeader(items.size());
    for (const Emit& e : items) e(w);
  };
}
// Pairs are written in the order given (tests decide whether that is sorted).
inline Emit Map(Pairs pairs) {
  return [pairs](cbor::Writer& w) {
    (void)w.WriteMapHeader(pairs.size());
    for (const auto& [k, v] : pairs) {
      (void)w.WriteUint(k);
      v(w);
    }
  };
}
// Replaces key's value or inserts it in key order.
inline Pairs With(Pairs pairs, uint64_t key, Emit value) {
  for (auto& [k, v] : pairs) {
    if (k == key) {
      v = std::move(value);
      return pairs;
    }
  }
  auto it = pairs.begin();
  while (it != pairs.end() && it->first < key) ++it;
  pairs.insert(it, {key, std::move(value)});
  return pairs;
}
inline Pairs Without(Pairs pairs, uint64_t key) {
  std::erase_if(pairs, [key](const auto& p) { return p.first == key; });
  return pairs;
}

inline Pairs DefaultSchedule() {
  return {{0, U(5)},    {1, U(50000)}, {2, U(2000)}, {3, U(40000)},
          {4, U(1000)}, {5, U(0)},     {6, U(3)}};
}
inline Pairs DefaultQuotas() { return {{0, U(16384)}, {1, U(2048)}, {2, U(512)}, {3, U(4)}}; }
inline Emit LocalPeer(uint64_t device_class, uint64_t address) {
  return Arr({U(0), U(device_class), U(address)});
}
inline Pairs DefaultEndpoint(uint64_t id) {
  return {{0, U(id)}, {1, LocalPeer(2, 0x48)}, {2, U(0)}};
}
inline Pairs DefaultPermissions() {
  return {{0, U(0b10011)},
          {1, Arr({Map(DefaultEndpoint(1)),
                   Map({{0, U(2)}, {1, Arr({U(1), T("aggregator"), U(1)})}, {2, U(1)}})})},
          {2, U(0)}};
}
inline Pairs DefaultTop() {
  return {{0, U(1)},
          {1, T("sampler")},
          {2, U(3)},
          {3, U(0)},
          {4, Map({{0, T("tc_init")}, {1, T("tc_loop")}, {2, T("tc_stop")}})},
          {5, Map(DefaultQuotas())},
          {6, Map(DefaultSchedule())},
          {7, Map(DefaultPermissions())},
          {8, U(1798761600)},
          {9, B({0xde, 0xad, 0xbe, 0xef})},
          {10, B(std::vector<uint8_t>(32, 0xab))},
          {11, U(1234)}};
}

inline std::vector<uint8_t> Build(const Emit& emit) {
  std::vector<uint8_t> buffer(4096);
  cbor::Writer w(buffer);
  emit(w);
  buffer.resize(w.size());
  return buffer;
}

// The ContainerMetadata DefaultTop() describes.
inline ContainerMetadata DefaultMetadata() {
  ContainerMetadata m;
  (void)m.uid.Assign("sampler");
  m.version = 3;
  m.runtime = RuntimeKind::kWasm;
  (void)m.entry.init.Assign("tc_init");
  (void)m.entry.loop.Assign("tc_loop");
  (void)m.entry.stop.Assign("tc_stop");
  m.quotas = {16384, 2048, 512, 4};
  m.schedule = {5, 50000, 2000, 40000, 1000, OverrunPolicy::kThrottle, 3};
  m.permissions.services = 0b10011;
  Endpoint sensor;
  sensor.id = 1;
  sensor.peer.kind = PeerKind::kLocal;
  sensor.peer.device_class = DeviceClass::kI2c;
  sensor.peer.address = 0x48;
  sensor.direction = Direction::kIn;
  (void)m.permissions.endpoints.push_back(sensor);
  Endpoint channel;
  channel.id = 2;
  channel.peer.kind = PeerKind::kContainer;
  (void)channel.peer.container_uid.Assign("aggregator");
  channel.peer.container_endpoint = 1;
  channel.direction = Direction::kOut;
  (void)m.permissions.endpoints.push_back(channel);
  m.permissions.on_violation = ViolationPolicy::kDeny;
  m.has_not_after = true;
  m.not_after = 1798761600;
  const uint8_t kid[] = {0xde, 0xad, 0xbe, 0xef};
  (void)m.signer_kid.Assign(kid);
  m.code_sha256.fill(0xab);
  m.code_size = 1234;
  return m;
}

}  // namespace tc::image::testing

// Femto-Containers' SAUL helpers for eBPF containers (find a device, read or write it as a
// phydat_t), served from the container's own declared device endpoints: the registry a container
// sees is its LED, GPIO and sensor endpoints in declaration order, so SAUL code reaches exactly
// what its metadata grants and every read or write passes the gate like an endpoint call.
// Device handles are endpoint references (engine::EndpointRef), never host pointers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tc/engine/engine.h"
#include "tc/services/devices.h"

namespace tc::services {

// eBPF helper numbers: Femto-Containers' bpf_saul_reg_find_nth/_find_type/_read/_write.
inline constexpr int32_t kBpfHelperSaulFindNth = 0x30;
inline constexpr int32_t kBpfHelperSaulFindType = 0x31;
inline constexpr int32_t kBpfHelperSaulRead = 0x32;
inline constexpr int32_t kBpfHelperSaulWrite = 0x33;

// Host function numbers (after the Femto-compatible helpers of host_services.h).
inline constexpr uint16_t kSaulFindNth = 32;
inline constexpr uint16_t kSaulFindType = 33;
inline constexpr uint16_t kSaulRead = 34;
inline constexpr uint16_t kSaulWrite = 35;

// SAUL device classes (RIOT's saul.h) the tc device classes appear as.
inline constexpr uint8_t kSaulActAny = 0x40;
inline constexpr uint8_t kSaulActSwitch = 0x44;  // an LED or an output pin
inline constexpr uint8_t kSaulSenseAny = 0x80;   // a sensor: tc metadata does not say of what
inline constexpr uint8_t kSaulSenseBtn = 0x81;   // an input pin
inline constexpr uint8_t kSaulCategoryMask = 0xC0;

// phydat_t: int16_t val[3], uint8_t unit, int8_t scale (value = val * 10^scale), little-endian.
inline constexpr uint8_t kPhydatSize = 8;
inline constexpr uint8_t kUnitUndefined = 0;  // RIOT UNIT_UNDEF: a sensor's unit is unknown here
inline constexpr uint8_t kUnitNone = 1;       // RIOT UNIT_NONE: an on/off state

// The SAUL class of a device endpoint (0: not a SAUL device, e.g. I2C).
uint8_t SaulClassOf(image::DeviceClass cls, image::Direction direction);
// Whether bpf_saul_reg_find_type(`type`) finds a device of `saul_class`: the exact class, a
// category's ANY, and for sensors any sensing quantity but a button (the metadata does not record
// what a sensor measures; the manifest author chose which sensor to declare).
bool SaulTypeMatches(uint8_t type, uint8_t saul_class);

class SaulHelpers {
 public:
  // Without a device table reads and writes answer kGuestUnknownService (-38).
  explicit SaulHelpers(DeviceTable* devices) : devices_(devices) {}
  SaulHelpers(const SaulHelpers&) = delete;
  SaulHelpers& operator=(const SaulHelpers&) = delete;

  // Registers the four services and their eBPF helper numbers (no wasm imports: wasm containers
  // use open/read/write/close).
  Status Register(engine::Engine& engine);

 private:
  static runtime::HostReply FindNth(void* self, engine::ServiceCall& call);
  static runtime::HostReply FindType(void* self, engine::ServiceCall& call);
  static runtime::HostReply Read(void* self, engine::ServiceCall& call);
  static runtime::HostReply Write(void* self, engine::ServiceCall& call);

  DeviceTable* devices_;
};

}  // namespace tc::services

// The endpoint router: registers open/read/write/close once and sends each call to the backend of
// the endpoint's peer — Channels for another container, the port's DeviceTable for a local
// device. The gate has already checked the endpoint, the permission bit of its peer kind
// (`channel` or `endpoint`), the direction, the handle quota and the buffer; the handle token the
// engine stores says which backend owns the handle (kDeviceTokenTag set: a device).
#pragma once

#include <cstdint>

#include "tc/engine/engine.h"
#include "tc/services/channels.h"
#include "tc/services/devices.h"

namespace tc::services {

inline constexpr uint32_t kDeviceTokenTag = 0x80000000;

// eBPF helper numbers of open/read/write/close (Femto-Containers has none for these).
inline constexpr int32_t kBpfHelperOpen = 0x28;
inline constexpr int32_t kBpfHelperRead = 0x29;
inline constexpr int32_t kBpfHelperWrite = 0x2A;
inline constexpr int32_t kBpfHelperClose = 0x2B;

class Endpoints {
 public:
  // Either backend may be null: opening an endpoint of that kind then answers
  // kGuestUnknownService (-38), as a build without the service would.
  Endpoints(Channels* channels, DeviceTable* devices) : channels_(channels), devices_(devices) {}
  Endpoints(const Endpoints&) = delete;
  Endpoints& operator=(const Endpoints&) = delete;

  // Registers open/read/write/close, their "tc" imports and eBPF helpers.
  Status Register(engine::Engine& engine);

 private:
  static runtime::HostReply Open(void* self, engine::ServiceCall& call);
  static runtime::HostReply Read(void* self, engine::ServiceCall& call);
  static runtime::HostReply Write(void* self, engine::ServiceCall& call);
  static runtime::HostReply Close(void* self, engine::ServiceCall& call);

  Channels* channels_;
  DeviceTable* devices_;
};

}  // namespace tc::services

// The guest-facing numbers: host function numbers (what runtimes map wasm imports and eBPF
// helpers to) and the negative error codes a denied or failed host call returns. Errno-like
// values so the WASI layer can pass them through. Which permission bit (image::Service) each
// function needs is DefaultPermission().
#pragma once

#include <cstdint>

#include "tc/image/metadata.h"

namespace tc::engine {

enum class HostFunction : uint16_t {
  kLog = 0,
  kNowUs = 1,
  kSleepUs = 2,
  kYield = 3,
  kOpen = 4,
  kRead = 5,
  kWrite = 6,
  kClose = 7,
  kKvGet = 8,
  kKvSet = 9,
  kKvDel = 10,
  kRandom = 11,
  kMlInfer = 12,
  // 13..35: the WASI preview1 subset, the Femto-Containers helpers and later services.
};
inline constexpr uint16_t kMaxHostFunctions = 36;
constexpr uint16_t Number(HostFunction f) { return static_cast<uint16_t>(f); }

// The permission bit(s) a function needs; any one of them suffices (open/read/write/close serve
// both device endpoints and channels; the gate then checks the endpoint's peer kind).
constexpr image::ServiceMask DefaultPermission(HostFunction f) {
  using image::Service;
  using image::ServiceBit;
  switch (f) {
    case HostFunction::kLog: return ServiceBit(Service::kLog);
    case HostFunction::kNowUs: return ServiceBit(Service::kTime);
    case HostFunction::kSleepUs: return ServiceBit(Service::kSleep);
    case HostFunction::kYield: return ServiceBit(Service::kYield);
    case HostFunction::kOpen:
    case HostFunction::kRead:
    case HostFunction::kWrite:
    case HostFunction::kClose:
      return ServiceBit(Service::kEndpoint) | ServiceBit(Service::kChannel);
    case HostFunction::kKvGet:
    case HostFunction::kKvSet:
    case HostFunction::kKvDel: return ServiceBit(Service::kKv);
    case HostFunction::kRandom: return ServiceBit(Service::kRandom);
    case HostFunction::kMlInfer: return ServiceBit(Service::kMl);
  }
  return ServiceBit(Service::kWasi);
}

// An endpoint named by value rather than by an open handle (SAUL's `saul_reg_t*` for eBPF):
// the tag keeps every reference non-zero, so 0 can mean "no such device" as SAUL's NULL does.
inline constexpr uint32_t kEndpointRefTag = 0x100;
constexpr uint32_t EndpointRef(uint8_t endpoint_id) { return kEndpointRefTag | endpoint_id; }

// Returned to the guest (as the host call's result) when the gate denies a call.
enum GuestError : int32_t {
  kGuestNotPermitted = -1,      // service not in the permission mask (EPERM)
  kGuestNoEndpoint = -2,        // endpoint not declared for this container (ENOENT)
  kGuestBadHandle = -9,         // not an open handle of this container (EBADF)
  kGuestDirectionDenied = -13,  // endpoint not declared for this direction (EACCES)
  kGuestBadBuffer = -14,        // a buffer lies outside the caller's memory (EFAULT)
  kGuestInvalidArgument = -22,  // malformed arguments (EINVAL)
  kGuestHandleQuota = -24,      // open-handle quota used up (EMFILE)
  kGuestKvQuota = -28,          // key-value quota used up (ENOSPC)
  kGuestUnknownService = -38,   // no such service in this build (ENOSYS)
};

}  // namespace tc::engine

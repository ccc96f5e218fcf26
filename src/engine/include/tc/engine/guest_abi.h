// The guest-facing numbers: service numbers (also the bit positions of the permission mask) and
// the negative error codes a denied or failed host call returns. Errno-like values so the WASI
// layer can pass them through.
#pragma once

#include <cstdint>

namespace tc::engine {

enum class Service : uint16_t {
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
};
inline constexpr uint16_t kMaxServices = 32;  // the permission mask is 32 bits
constexpr uint32_t ServiceBit(Service s) { return 1u << static_cast<uint16_t>(s); }

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

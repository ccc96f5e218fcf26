#include "tc/engine/observability.h"

#include "tc/engine/guest_abi.h"

namespace tc::engine {

const char* ToString(DenialReason reason) {
  switch (reason) {
    case DenialReason::kUnknownService: return "unknown service";
    case DenialReason::kServiceNotPermitted: return "service not permitted";
    case DenialReason::kEndpointNotDeclared: return "endpoint not declared";
    case DenialReason::kDirectionNotAllowed: return "direction not allowed";
    case DenialReason::kBadHandle: return "bad handle";
    case DenialReason::kBufferOutOfBounds: return "buffer outside caller memory";
    case DenialReason::kHandleQuota: return "open-handle quota exceeded";
    case DenialReason::kKvQuota: return "key-value quota exceeded";
  }
  return "?";
}

int32_t GuestErrorFor(DenialReason reason) {
  switch (reason) {
    case DenialReason::kUnknownService: return kGuestUnknownService;
    case DenialReason::kServiceNotPermitted: return kGuestNotPermitted;
    case DenialReason::kEndpointNotDeclared: return kGuestNoEndpoint;
    case DenialReason::kDirectionNotAllowed: return kGuestDirectionDenied;
    case DenialReason::kBadHandle: return kGuestBadHandle;
    case DenialReason::kBufferOutOfBounds: return kGuestBadBuffer;
    case DenialReason::kHandleQuota: return kGuestHandleQuota;
    case DenialReason::kKvQuota: return kGuestKvQuota;
  }
  return kGuestInvalidArgument;
}

}  // namespace tc::engine

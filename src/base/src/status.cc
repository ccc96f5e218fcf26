#include "tc/base/status.h"

namespace tc {

const char* ToString(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kOutOfRange: return "out of range";
    case ErrorCode::kTruncated: return "truncated";
    case ErrorCode::kMalformed: return "malformed";
    case ErrorCode::kInvalid: return "invalid";
    case ErrorCode::kResourceExhausted: return "resource exhausted";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kAlreadyExists: return "already exists";
    case ErrorCode::kPermissionDenied: return "permission denied";
    case ErrorCode::kFailedPrecondition: return "failed precondition";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kIntegrityError: return "integrity error";
    case ErrorCode::kExpired: return "expired";
    case ErrorCode::kRollback: return "rollback";
    case ErrorCode::kTrap: return "trap";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal error";
  }
  return "unknown error";
}

}  // namespace tc

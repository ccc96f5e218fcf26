// Errors as values: a code, a static message saying why, and where in the input it happened.
#pragma once

#include <cstdint>

namespace tc {

enum class ErrorCode : uint8_t {
  kOk = 0,
  kInvalidArgument,    // caller passed something unusable
  kOutOfRange,         // index, offset or value outside its allowed range
  kTruncated,          // input ended before a complete item was read
  kMalformed,          // input does not follow its encoding
  kInvalid,            // well-formed but violates a semantic rule (validation)
  kResourceExhausted,  // a fixed capacity or quota is used up
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kFailedPrecondition,  // operation not allowed in the current state
  kUnsupported,         // valid request for a feature this build does not have
  kIntegrityError,      // digest, signature or MAC mismatch
  kExpired,
  kRollback,
  kTrap,  // guest code faulted
  kUnavailable,
  kInternal,
};

const char* ToString(ErrorCode code);

class [[nodiscard]] Status {
 public:
  static constexpr uint32_t kNoPosition = UINT32_MAX;

  constexpr Status() = default;
  constexpr Status(ErrorCode code, const char* message, uint32_t position = kNoPosition)
      : code_(code), message_(message), position_(position) {}

  static constexpr Status Ok() { return Status(); }

  constexpr bool ok() const { return code_ == ErrorCode::kOk; }
  constexpr ErrorCode code() const { return code_; }
  // Never null: a static string describing the problem ("" for OK).
  constexpr const char* message() const { return message_; }
  // Byte offset (or instruction index) in the input the error refers to, or kNoPosition.
  constexpr uint32_t position() const { return position_; }
  constexpr bool has_position() const { return position_ != kNoPosition; }

  // Returns a copy that points at `position`, keeping an already recorded position.
  constexpr Status At(uint32_t position) const {
    return Status(code_, message_, has_position() ? position_ : position);
  }

  friend constexpr bool operator==(const Status& a, const Status& b) { return a.code_ == b.code_; }
  friend constexpr bool operator==(const Status& a, ErrorCode code) { return a.code_ == code; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  const char* message_ = "";
  uint32_t position_ = kNoPosition;
};

}  // namespace tc

// Propagates a non-OK Status from an expression that yields a Status.
#define TC_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::tc::Status tc_status_ = (expr);        \
    if (!tc_status_.ok()) return tc_status_; \
  } while (0)

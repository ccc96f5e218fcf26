// Writes one CoAP message into a caller-owned buffer, in the order the wire format requires:
// header and token, options in ascending number order, then the payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/status.h"
#include "tc/net/coap/message.h"

namespace tc::coap {

class MessageBuilder {
 public:
  explicit MessageBuilder(std::span<uint8_t> buffer) : buffer_(buffer) {}

  // Must be first. kInvalidArgument for a token longer than 8 bytes.
  Status Header(Type type, uint8_t code, uint16_t message_id, std::span<const uint8_t> token);
  // Options must come in non-decreasing number order (kInvalidArgument otherwise); the value may be
  // at most 65804 bytes (the largest length the extended encoding can express).
  Status AddOption(uint16_t number, std::span<const uint8_t> value);
  Status AddStringOption(uint16_t number, std::string_view value);
  // Uses the shortest encoding (RFC 7252 §3.2): 0 is the empty value.
  Status AddUintOption(uint16_t number, uint32_t value);
  // Adds the payload marker and the payload; an empty payload writes nothing. Must be last.
  Status SetPayload(std::span<const uint8_t> payload);

  std::span<const uint8_t> bytes() const { return buffer_.first(size_); }
  size_t size() const { return size_; }

 private:
  Status Write(std::span<const uint8_t> bytes);

  std::span<uint8_t> buffer_;
  size_t size_ = 0;
  uint16_t last_option_ = 0;
  bool header_written_ = false;
  bool payload_written_ = false;
};

}  // namespace tc::coap

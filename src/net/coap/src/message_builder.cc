#include "tc/net/coap/message_builder.h"

#include <algorithm>

namespace tc::coap {

namespace {

constexpr Status kNoRoom(ErrorCode::kResourceExhausted, "message does not fit the output buffer");
constexpr Status kOutOfOrder(ErrorCode::kInvalidArgument,
                             "header first, options in ascending order, payload last");
constexpr uint32_t kMaxOptionLength = 269u + 0xFFFF;

// The 4-bit nibble and 0..2 extension bytes for an option delta or length.
struct Extended {
  uint8_t nibble;
  uint8_t bytes[2];
  size_t size;
};

Extended EncodeExtended(uint32_t value) {
  if (value < 13) return {static_cast<uint8_t>(value), {0, 0}, 0};
  if (value < 269) return {13, {static_cast<uint8_t>(value - 13), 0}, 1};
  const uint32_t rest = value - 269;
  return {14, {static_cast<uint8_t>(rest >> 8), static_cast<uint8_t>(rest)}, 2};
}

}  // namespace

Status MessageBuilder::Write(std::span<const uint8_t> bytes) {
  if (buffer_.size() - size_ < bytes.size()) return kNoRoom.At(static_cast<uint32_t>(size_));
  std::copy(bytes.begin(), bytes.end(), buffer_.begin() + size_);
  size_ += bytes.size();
  return Status::Ok();
}

Status MessageBuilder::Header(Type type, uint8_t code, uint16_t message_id,
                              std::span<const uint8_t> token) {
  if (header_written_) return kOutOfOrder;
  if (token.size() > kMaxTokenLength) {
    return Status(ErrorCode::kInvalidArgument, "token longer than 8 bytes");
  }
  if (buffer_.size() < kHeaderSize + token.size()) return kNoRoom.At(0);
  const uint8_t header[kHeaderSize] = {
      static_cast<uint8_t>((kVersion << 6) | (static_cast<uint8_t>(type) << 4) | token.size()),
      code, static_cast<uint8_t>(message_id >> 8), static_cast<uint8_t>(message_id)};
  TC_RETURN_IF_ERROR(Write(header));
  TC_RETURN_IF_ERROR(Write(token));
  header_written_ = true;
  return Status::Ok();
}

Status MessageBuilder::AddOption(uint16_t number, std::span<const uint8_t> value) {
  if (!header_written_ || payload_written_ || number < last_option_) return kOutOfOrder;
  if (value.size() > kMaxOptionLength) {
    return Status(ErrorCode::kInvalidArgument, "option value longer than 65804 bytes");
  }
  const Extended delta = EncodeExtended(number - last_option_);
  const Extended length = EncodeExtended(static_cast<uint32_t>(value.size()));
  const size_t needed = 1 + delta.size + length.size + value.size();
  if (buffer_.size() - size_ < needed) return kNoRoom.At(static_cast<uint32_t>(size_));
  const uint8_t first = static_cast<uint8_t>((delta.nibble << 4) | length.nibble);
  TC_RETURN_IF_ERROR(Write({&first, 1}));
  TC_RETURN_IF_ERROR(Write({delta.bytes, delta.size}));
  TC_RETURN_IF_ERROR(Write({length.bytes, length.size}));
  TC_RETURN_IF_ERROR(Write(value));
  last_option_ = number;
  return Status::Ok();
}

Status MessageBuilder::AddStringOption(uint16_t number, std::string_view value) {
  return AddOption(number, {reinterpret_cast<const uint8_t*>(value.data()), value.size()});
}

Status MessageBuilder::AddUintOption(uint16_t number, uint32_t value) {
  uint8_t bytes[4];
  size_t length = 0;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const uint8_t b = static_cast<uint8_t>(value >> shift);
    if (length == 0 && b == 0) continue;
    bytes[length++] = b;
  }
  return AddOption(number, {bytes, length});
}

Status MessageBuilder::SetPayload(std::span<const uint8_t> payload) {
  if (!header_written_ || payload_written_) return kOutOfOrder;
  if (payload.empty()) return Status::Ok();
  if (buffer_.size() - size_ < 1 + payload.size()) return kNoRoom.At(static_cast<uint32_t>(size_));
  const uint8_t marker = kPayloadMarker;
  TC_RETURN_IF_ERROR(Write({&marker, 1}));
  TC_RETURN_IF_ERROR(Write(payload));
  payload_written_ = true;
  return Status::Ok();
}

}  // namespace tc::coap

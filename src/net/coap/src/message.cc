#include "tc/net/coap/message.h"

namespace tc::coap {

namespace {

constexpr Status kHeaderTruncated(ErrorCode::kTruncated, "datagram shorter than the 4-byte header",
                                  0);
constexpr Status kBadVersion(ErrorCode::kUnsupported, "CoAP version is not 1", 0);
constexpr Status kBadTokenLength(ErrorCode::kMalformed, "token length 9..15 is reserved", 0);
constexpr Status kTokenTruncated(ErrorCode::kTruncated, "datagram ends inside the token");
constexpr Status kDeltaReserved(ErrorCode::kMalformed, "option delta 15 is reserved");
constexpr Status kLengthReserved(ErrorCode::kMalformed, "option length 15 is reserved");
constexpr Status kExtensionTruncated(ErrorCode::kTruncated,
                                     "datagram ends inside an extended option delta or length");
constexpr Status kValueTruncated(ErrorCode::kTruncated, "datagram ends inside an option value");
constexpr Status kNumberTooLarge(ErrorCode::kMalformed, "option number exceeds 65535");
constexpr Status kTooManyOptions(ErrorCode::kResourceExhausted, "more options than supported");
constexpr Status kEmptyPayload(ErrorCode::kMalformed,
                               "payload marker followed by an empty payload");
constexpr Status kEmptyWithContent(ErrorCode::kMalformed,
                                   "Empty message (0.00) carries a token, options or payload");

// Reads the extension of a 4-bit delta or length nibble (13: one byte +13, 14: two bytes +269).
// The caller has already rejected 15.
Status ReadExtended(std::span<const uint8_t> data, size_t& pos, uint8_t nibble, uint32_t& value) {
  if (nibble < 13) {
    value = nibble;
    return Status::Ok();
  }
  if (nibble == 13) {
    if (data.size() - pos < 1) return kExtensionTruncated.At(static_cast<uint32_t>(pos));
    value = 13u + data[pos];
    pos += 1;
    return Status::Ok();
  }
  if (data.size() - pos < 2) return kExtensionTruncated.At(static_cast<uint32_t>(pos));
  value = 269u + ((uint32_t{data[pos]} << 8) | data[pos + 1]);
  pos += 2;
  return Status::Ok();
}

}  // namespace

const Option* Message::Find(uint16_t number) const {
  for (const Option& o : options) {
    if (o.number == number) return &o;
  }
  return nullptr;
}

Result<uint32_t> Message::FindUint(uint16_t number) const {
  const Option* o = Find(number);
  if (o == nullptr) return Status(ErrorCode::kNotFound, "option absent");
  if (o->value.size() > 4) return Status(ErrorCode::kMalformed, "uint option longer than 4 bytes");
  uint32_t value = 0;
  for (uint8_t b : o->value) value = (value << 8) | b;
  return value;
}

Result<HeaderPrefix> ParseHeaderPrefix(std::span<const uint8_t> datagram) {
  if (datagram.size() < kHeaderSize) return kHeaderTruncated;
  HeaderPrefix h;
  h.version = static_cast<uint8_t>(datagram[0] >> 6);
  h.type = static_cast<Type>((datagram[0] >> 4) & 0x3);
  h.token_length = static_cast<uint8_t>(datagram[0] & 0xF);
  h.code = datagram[1];
  h.message_id = static_cast<uint16_t>((datagram[2] << 8) | datagram[3]);
  return h;
}

Status ParseMessage(std::span<const uint8_t> datagram, Message& out) {
  TC_ASSIGN_OR_RETURN(const HeaderPrefix h, ParseHeaderPrefix(datagram));
  if (h.version != kVersion) return kBadVersion;
  if (h.token_length > kMaxTokenLength) return kBadTokenLength;
  out.type = h.type;
  out.code = h.code;
  out.message_id = h.message_id;
  out.options.clear();
  out.payload = {};

  size_t pos = kHeaderSize;
  if (datagram.size() - pos < h.token_length) return kTokenTruncated.At(static_cast<uint32_t>(pos));
  out.token_length = h.token_length;
  for (size_t i = 0; i < h.token_length; ++i) out.token[i] = datagram[pos + i];
  pos += h.token_length;

  if (h.code == code::kEmpty && (h.token_length != 0 || pos != datagram.size())) {
    return kEmptyWithContent.At(static_cast<uint32_t>(kHeaderSize));
  }

  uint32_t number = 0;
  while (pos < datagram.size()) {
    const size_t option_start = pos;
    const uint8_t first = datagram[pos++];
    if (first == kPayloadMarker) {
      if (pos == datagram.size()) return kEmptyPayload.At(static_cast<uint32_t>(option_start));
      out.payload = datagram.subspan(pos);
      return Status::Ok();
    }
    const uint8_t delta_nibble = first >> 4;
    const uint8_t length_nibble = first & 0xF;
    if (delta_nibble == 15) return kDeltaReserved.At(static_cast<uint32_t>(option_start));
    if (length_nibble == 15) return kLengthReserved.At(static_cast<uint32_t>(option_start));
    uint32_t delta = 0;
    uint32_t length = 0;
    TC_RETURN_IF_ERROR(ReadExtended(datagram, pos, delta_nibble, delta));
    TC_RETURN_IF_ERROR(ReadExtended(datagram, pos, length_nibble, length));
    number += delta;
    if (number > 0xFFFF) return kNumberTooLarge.At(static_cast<uint32_t>(option_start));
    if (datagram.size() - pos < length) return kValueTruncated.At(static_cast<uint32_t>(pos));
    if (out.options.full()) return kTooManyOptions.At(static_cast<uint32_t>(option_start));
    (void)out.options.push_back(
        Option{static_cast<uint16_t>(number), datagram.subspan(pos, length)});
    pos += length;
  }
  return Status::Ok();
}

}  // namespace tc::coap

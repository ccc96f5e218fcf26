// CoAP (RFC 7252) message model and the strict parser for datagrams from the network.
// Parsing never copies the datagram: options and payload are views into it, so the datagram must
// outlive the Message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/fixed_vector.h"
#include "tc/base/result.h"

namespace tc::coap {

enum class Type : uint8_t {
  kConfirmable = 0,
  kNonConfirmable = 1,
  kAcknowledgement = 2,
  kReset = 3,
};

// A code is class (3 bits) and detail (5 bits), written c.dd.
constexpr uint8_t MakeCode(uint8_t code_class, uint8_t detail) {
  return static_cast<uint8_t>((code_class << 5) | detail);
}
constexpr uint8_t CodeClass(uint8_t code) { return static_cast<uint8_t>(code >> 5); }
constexpr uint8_t CodeDetail(uint8_t code) { return static_cast<uint8_t>(code & 0x1F); }

namespace code {
inline constexpr uint8_t kEmpty = MakeCode(0, 0);
inline constexpr uint8_t kGet = MakeCode(0, 1);
inline constexpr uint8_t kPost = MakeCode(0, 2);
inline constexpr uint8_t kPut = MakeCode(0, 3);
inline constexpr uint8_t kDelete = MakeCode(0, 4);
inline constexpr uint8_t kCreated = MakeCode(2, 1);
inline constexpr uint8_t kDeleted = MakeCode(2, 2);
inline constexpr uint8_t kValid = MakeCode(2, 3);
inline constexpr uint8_t kChanged = MakeCode(2, 4);
inline constexpr uint8_t kContent = MakeCode(2, 5);
inline constexpr uint8_t kContinue = MakeCode(2, 31);
inline constexpr uint8_t kBadRequest = MakeCode(4, 0);
inline constexpr uint8_t kBadOption = MakeCode(4, 2);
inline constexpr uint8_t kNotFound = MakeCode(4, 4);
inline constexpr uint8_t kMethodNotAllowed = MakeCode(4, 5);
inline constexpr uint8_t kNotAcceptable = MakeCode(4, 6);
inline constexpr uint8_t kRequestEntityIncomplete = MakeCode(4, 8);
inline constexpr uint8_t kRequestEntityTooLarge = MakeCode(4, 13);
inline constexpr uint8_t kUnsupportedContentFormat = MakeCode(4, 15);
inline constexpr uint8_t kInternalServerError = MakeCode(5, 0);
}  // namespace code

namespace option {
inline constexpr uint16_t kIfMatch = 1;
inline constexpr uint16_t kUriHost = 3;
inline constexpr uint16_t kETag = 4;
inline constexpr uint16_t kIfNoneMatch = 5;
inline constexpr uint16_t kObserve = 6;
inline constexpr uint16_t kUriPort = 7;
inline constexpr uint16_t kLocationPath = 8;
inline constexpr uint16_t kUriPath = 11;
inline constexpr uint16_t kContentFormat = 12;
inline constexpr uint16_t kMaxAge = 14;
inline constexpr uint16_t kUriQuery = 15;
inline constexpr uint16_t kAccept = 17;
inline constexpr uint16_t kBlock2 = 23;
inline constexpr uint16_t kBlock1 = 27;
inline constexpr uint16_t kSize2 = 28;
inline constexpr uint16_t kSize1 = 60;
// Odd option numbers are critical: a receiver that does not understand one must reject.
constexpr bool IsCritical(uint16_t number) { return (number & 1) != 0; }
}  // namespace option

namespace content_format {
inline constexpr uint16_t kTextPlain = 0;
inline constexpr uint16_t kLinkFormat = 40;
inline constexpr uint16_t kOctetStream = 42;
inline constexpr uint16_t kJson = 50;
inline constexpr uint16_t kCbor = 60;
}  // namespace content_format

inline constexpr uint8_t kVersion = 1;
inline constexpr size_t kHeaderSize = 4;
inline constexpr size_t kMaxTokenLength = 8;
inline constexpr uint8_t kPayloadMarker = 0xFF;
// More options than this in one datagram is refused (kResourceExhausted): a bound, not an RFC rule.
inline constexpr size_t kMaxOptions = 24;

struct Option {
  uint16_t number = 0;
  std::span<const uint8_t> value;
};

struct Message {
  Type type = Type::kConfirmable;
  uint8_t code = code::kEmpty;
  uint16_t message_id = 0;
  uint8_t token_length = 0;
  uint8_t token[kMaxTokenLength] = {};
  // In the order of the datagram, which is ascending option number.
  FixedVector<Option, kMaxOptions> options;
  std::span<const uint8_t> payload;

  std::span<const uint8_t> token_bytes() const { return {token, token_length}; }
  bool is_request() const { return CodeClass(code) == 0 && code != code::kEmpty; }
  // The first option with this number, or nullptr.
  const Option* Find(uint16_t number) const;
  // A uint option (RFC 7252 §3.2: big-endian, leading zeros allowed, at most 4 bytes here).
  // kNotFound when absent, kMalformed when longer than 4 bytes.
  Result<uint32_t> FindUint(uint16_t number) const;
};

// The parts of the header that are readable even when the rest is malformed; a server needs them
// to reject a confirmable message with a Reset.
struct HeaderPrefix {
  uint8_t version = 0;
  Type type = Type::kConfirmable;
  uint8_t token_length = 0;
  uint8_t code = 0;
  uint16_t message_id = 0;
};

// kTruncated when the datagram is shorter than the 4-byte header.
Result<HeaderPrefix> ParseHeaderPrefix(std::span<const uint8_t> datagram);

// Parses one datagram strictly (RFC 7252 §3, §4.1). Errors carry the byte offset:
//  kTruncated   header, token, extended option delta/length or option value cut short
//  kUnsupported version other than 1
//  kMalformed   token length 9..15; option delta or length nibble 15 (not a payload marker);
//               option number above 65535; payload marker followed by nothing; an Empty
//               message (0.00) with a token, options or payload
//  kResourceExhausted more than kMaxOptions options
// On error `out` is left unspecified (the caller discards it).
Status ParseMessage(std::span<const uint8_t> datagram, Message& out);

}  // namespace tc::coap

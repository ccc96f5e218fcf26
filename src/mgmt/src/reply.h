// Building management responses: CoAP codes the coap layer does not name, a CBOR document
// builder that keeps the first error, content negotiation (CBOR or JSON), error replies with a
// diagnostic payload, and Uri-Query parsing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/result.h"
#include "tc/cbor/writer.h"
#include "tc/image/image_verifier.h"
#include "tc/net/coap/server.h"

namespace tc::mgmt::internal {

inline constexpr uint8_t kUnauthorized = coap::MakeCode(4, 1);
inline constexpr uint8_t kConflict = coap::MakeCode(4, 9);
inline constexpr uint8_t kServiceUnavailable = coap::MakeCode(5, 3);

// A CBOR document written through cbor::Writer; after the first error further writes are
// ignored, so a builder can write a whole document and check once.
class Doc {
 public:
  explicit Doc(std::span<uint8_t> buffer) : w_(buffer) {}

  void Map(uint64_t pairs) {
    if (status_.ok()) status_ = w_.WriteMapHeader(pairs);
  }
  void Array(uint64_t items) {
    if (status_.ok()) status_ = w_.WriteArrayHeader(items);
  }
  void Text(std::string_view text) {
    if (status_.ok()) status_ = w_.WriteText(text);
  }
  void Uint(uint64_t value) {
    if (status_.ok()) status_ = w_.WriteUint(value);
  }
  void Bool(bool value) {
    if (status_.ok()) status_ = w_.WriteBool(value);
  }
  void Bytes(std::span<const uint8_t> bytes) {
    if (status_.ok()) status_ = w_.WriteBytes(bytes);
  }
  void Pair(std::string_view key, uint64_t value) {
    Text(key);
    Uint(value);
  }
  void Pair(std::string_view key, std::string_view value) {
    Text(key);
    Text(value);
  }
  void Pair(std::string_view key, const char* value) { Pair(key, std::string_view(value)); }
  void PairBool(std::string_view key, bool value) {
    Text(key);
    Bool(value);
  }

  const Status& status() const { return status_; }
  std::span<const uint8_t> bytes() const { return w_.written(); }
  size_t size() const { return w_.size(); }

 private:
  // After an error nothing more is written (a later smaller write could otherwise succeed).
  cbor::Writer w_;
  Status status_;
};

enum class Format : uint8_t { kCbor, kJson };

// The representation the request's Accept asks for; false (a 4.06 reply written) for an Accept
// other than 50 or 60.
bool Negotiate(const coap::Request& request, coap::Response& response, Format* format);

// Sends the CBOR document `doc` with `code` as CBOR or transcoded to JSON. A document that failed
// to build or does not fit gets 5.00 with the reason.
void SendDocument(coap::Response& response, Format format, const Doc& doc,
                  uint8_t code = coap::code::kContent);

// The answer of POST /command: 2.04 {"uid", "state"}, built in `scratch`.
void SendCommandAnswer(coap::Response& response, Format format, std::span<uint8_t> scratch,
                       std::string_view uid, const char* state);

// The JSON length of a CBOR document (to size paged answers); SIZE_MAX when it has none.
size_t JsonSize(std::span<const uint8_t> cbor);

// An error reply: "what: why" plus " (at byte N)" when `why` has a position.
void SendError(coap::Response& response, uint8_t code, const char* what, const Status& why);
void SendError(coap::Response& response, uint8_t code, const char* what, const char* why);

// The CoAP code for an error of a verified-or-refused signed payload (image, command, config).
uint8_t CodeForProblem(image::ImageProblem problem, const Status& status);
// The CoAP code for an engine or store error.
uint8_t CodeForError(const Status& status);

// Uri-Query "name=value" options. Check() refuses (4.00) any name not in `allowed`, a query
// without '=', and a name given twice.
class Query {
 public:
  explicit Query(const coap::Message& message) : message_(message) {}
  Status Check(std::span<const std::string_view> allowed) const;
  // The value of `name`, or false when absent.
  bool Find(std::string_view name, std::string_view* value) const;
  // A decimal uint64; `fallback` when absent; kInvalid when not a number or too large.
  Result<uint64_t> Number(std::string_view name, uint64_t fallback) const;

 private:
  const coap::Message& message_;
};

}  // namespace tc::mgmt::internal

#include "reply.h"

#include "tc/base/format.h"
#include "tc/cbor/json.h"

namespace tc::mgmt::internal {

namespace {

Status AppendToResponse(void* context, std::string_view text) {
  return static_cast<coap::Response*>(context)->Append(text);
}

std::string_view AsText(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Bodies never nest deeper than a list of records holding a map of lists of maps.
constexpr uint8_t kMaxDocumentDepth = 6;

}  // namespace

bool Negotiate(const coap::Request& request, coap::Response& response, Format* format) {
  *format = Format::kCbor;
  const Result<uint32_t> accept = request.message.FindUint(coap::option::kAccept);
  if (!accept.ok()) {
    if (accept.status().code() == ErrorCode::kNotFound) return true;
    SendError(response, coap::code::kBadRequest, "accept", accept.status());
    return false;
  }
  if (*accept == coap::content_format::kCbor) return true;
  if (*accept == coap::content_format::kJson) {
    *format = Format::kJson;
    return true;
  }
  SendError(response, coap::code::kNotAcceptable, "accept",
            "only 60 (CBOR) and 50 (JSON) are served");
  return false;
}

void SendDocument(coap::Response& response, Format format, const Doc& doc, uint8_t code) {
  if (!doc.status().ok()) {
    SendError(response, coap::code::kInternalServerError, "response", doc.status());
    return;
  }
  response.set_code(code);
  if (format == Format::kCbor) {
    response.set_content_format(coap::content_format::kCbor);
    (void)response.Append(doc.bytes());
    return;
  }
  response.set_content_format(coap::content_format::kJson);
  // A body that overflows is answered 5.00 by the server (Response::overflowed()).
  (void)cbor::CborToJson(doc.bytes(), &AppendToResponse, &response, kMaxDocumentDepth);
}

void SendCommandAnswer(coap::Response& response, Format format, std::span<uint8_t> scratch,
                       std::string_view uid, const char* state) {
  Doc doc(scratch);
  doc.Map(2);
  doc.Pair("uid", uid);
  doc.Pair("state", state);
  SendDocument(response, format, doc, coap::code::kChanged);
}

size_t JsonSize(std::span<const uint8_t> cbor) {
  const Result<size_t> size = cbor::JsonLength(cbor, kMaxDocumentDepth);
  return size.ok() ? *size : SIZE_MAX;
}

void SendError(coap::Response& response, uint8_t code, const char* what, const Status& why) {
  char text[160];
  size_t n = 0;
  if (why.has_position()) {
    n = FormatTo(text, "%s: %s (at byte %u)", what, why.message(),
                 static_cast<unsigned>(why.position()));
  } else {
    n = FormatTo(text, "%s: %s", what, why.message());
  }
  response.set_code(code);
  (void)response.Append(std::string_view(text, n));
}

void SendError(coap::Response& response, uint8_t code, const char* what, const char* why) {
  SendError(response, code, what, Status(ErrorCode::kInvalid, why));
}

uint8_t CodeForProblem(image::ImageProblem problem, const Status& status) {
  using image::ImageProblem;
  switch (problem) {
    case ImageProblem::kUnknownKey:
    case ImageProblem::kWrongAlgorithm:
    case ImageProblem::kBadSignature:
    case ImageProblem::kKidMismatch:
    case ImageProblem::kNotAuthorized:
    case ImageProblem::kExpired:
    case ImageProblem::kCodeDigest:
    case ImageProblem::kDataDigest: return kUnauthorized;
    case ImageProblem::kRollback: return kConflict;
    case ImageProblem::kOversized: return coap::code::kRequestEntityTooLarge;
    case ImageProblem::kRejected: return CodeForError(status);
    default: return coap::code::kBadRequest;
  }
}

uint8_t CodeForError(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kTruncated:
    case ErrorCode::kMalformed:
    case ErrorCode::kInvalid:
    case ErrorCode::kUnsupported: return coap::code::kBadRequest;
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kIntegrityError:
    case ErrorCode::kExpired: return kUnauthorized;
    case ErrorCode::kNotFound: return coap::code::kNotFound;
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kRollback: return kConflict;
    case ErrorCode::kOutOfRange: return coap::code::kRequestEntityTooLarge;
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kUnavailable: return kServiceUnavailable;
    default: return coap::code::kInternalServerError;
  }
}

Status Query::Check(std::span<const std::string_view> allowed) const {
  for (size_t i = 0; i < message_.options.size(); ++i) {
    const coap::Option& o = message_.options[i];
    if (o.number != coap::option::kUriQuery) continue;
    const std::string_view text = AsText(o.value);
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos) {
      return Status(ErrorCode::kInvalid, "query is not name=value");
    }
    const std::string_view name = text.substr(0, eq);
    bool known = false;
    for (std::string_view a : allowed) known = known || a == name;
    if (!known) return Status(ErrorCode::kInvalid, "unknown query parameter");
    for (size_t j = i + 1; j < message_.options.size(); ++j) {
      const coap::Option& later = message_.options[j];
      if (later.number != coap::option::kUriQuery) continue;
      const std::string_view other = AsText(later.value);
      if (other.substr(0, other.find('=')) == name) {
        return Status(ErrorCode::kInvalid, "query parameter given twice");
      }
    }
  }
  return Status::Ok();
}

bool Query::Find(std::string_view name, std::string_view* value) const {
  for (const coap::Option& o : message_.options) {
    if (o.number != coap::option::kUriQuery) continue;
    const std::string_view text = AsText(o.value);
    const size_t eq = text.find('=');
    if (eq != std::string_view::npos && text.substr(0, eq) == name) {
      *value = text.substr(eq + 1);
      return true;
    }
  }
  return false;
}

Result<uint64_t> Query::Number(std::string_view name, uint64_t fallback) const {
  std::string_view text;
  if (!Find(name, &text)) return fallback;
  if (text.empty() || text.size() > 20) {
    return Status(ErrorCode::kInvalid, "query number is not 1..20 decimal digits");
  }
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return Status(ErrorCode::kInvalid, "query number is not decimal");
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      return Status(ErrorCode::kInvalid, "query number is larger than 2^64 - 1");
    }
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace tc::mgmt::internal

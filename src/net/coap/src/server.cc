#include "tc/net/coap/server.h"

#include <algorithm>

#include "tc/net/coap/message_builder.h"

namespace tc::coap {

namespace {

constexpr std::string_view kWellKnownCore = ".well-known/core";

// Everything a reply can carry, in the order the options are written.
struct ReplyParts {
  uint8_t code = code::kContent;
  bool has_etag = false;
  uint32_t etag = 0;
  bool has_content_format = false;
  uint16_t content_format = 0;
  bool has_block2 = false;
  BlockOption block2;
  bool has_block1 = false;
  BlockOption block1;
  bool has_size2 = false;
  uint32_t size2 = 0;
  std::span<const uint8_t> payload;
};

// FNV-1a: a representation's ETag and the key that tells whether a later Block2 request asks for
// the same representation (same query and Accept).
uint32_t Fnv1a(std::span<const uint8_t> bytes, uint32_t hash = 2166136261u) {
  for (uint8_t b : bytes) hash = (hash ^ b) * 16777619u;
  return hash;
}

uint32_t RepresentationKey(const Message& message) {
  uint32_t key = 2166136261u;
  for (const Option& o : message.options) {
    if (o.number != option::kUriQuery && o.number != option::kAccept) continue;
    const uint8_t number = static_cast<uint8_t>(o.number);
    key = Fnv1a(o.value, Fnv1a({&number, 1}, key));
  }
  return key;
}

std::span<const uint8_t> Text(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// Options this server understands; an unknown critical one must be answered with 4.02.
bool IsRecognized(uint16_t number) {
  switch (number) {
    case option::kUriHost:
    case option::kUriPort:
    case option::kUriPath:
    case option::kContentFormat:
    case option::kUriQuery:
    case option::kAccept:
    case option::kBlock2:
    case option::kBlock1:
    case option::kSize2:
    case option::kSize1: return true;
    default: return false;
  }
}

// Compares the Uri-Path options of a request with a registered "a/b/c" path, segment by segment.
bool PathMatches(const Message& message, std::string_view path) {
  size_t start = 0;
  for (const Option& o : message.options) {
    if (o.number != option::kUriPath) continue;
    if (start > path.size()) return false;
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (o.value.size() != segment.size()) return false;
    for (size_t i = 0; i < segment.size(); ++i) {
      if (o.value[i] != static_cast<uint8_t>(segment[i])) return false;
    }
    start = end + 1;
  }
  return start == path.size() + 1;
}

bool ValidPath(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  return path.find("//") == std::string_view::npos;
}

Handler MethodHandler(const Resource& r, uint8_t method) {
  switch (method) {
    case code::kGet: return r.get;
    case code::kPost: return r.post;
    case code::kPut: return r.put;
    case code::kDelete: return r.del;
    default: return nullptr;
  }
}

Status WriteReply(std::span<const uint8_t> token, Type type, uint16_t message_id,
                  const ReplyParts& parts, std::span<uint8_t> buffer, size_t& size) {
  MessageBuilder b(buffer);
  TC_RETURN_IF_ERROR(b.Header(type, parts.code, message_id, token));
  if (parts.has_etag) {
    const uint8_t etag[4] = {
        static_cast<uint8_t>(parts.etag >> 24), static_cast<uint8_t>(parts.etag >> 16),
        static_cast<uint8_t>(parts.etag >> 8), static_cast<uint8_t>(parts.etag)};
    TC_RETURN_IF_ERROR(b.AddOption(option::kETag, etag));
  }
  if (parts.has_content_format) {
    TC_RETURN_IF_ERROR(b.AddUintOption(option::kContentFormat, parts.content_format));
  }
  if (parts.has_block2) {
    TC_ASSIGN_OR_RETURN(const uint32_t value, EncodeBlock(parts.block2));
    TC_RETURN_IF_ERROR(b.AddUintOption(option::kBlock2, value));
  }
  if (parts.has_block1) {
    TC_ASSIGN_OR_RETURN(const uint32_t value, EncodeBlock(parts.block1));
    TC_RETURN_IF_ERROR(b.AddUintOption(option::kBlock1, value));
  }
  if (parts.has_size2) TC_RETURN_IF_ERROR(b.AddUintOption(option::kSize2, parts.size2));
  TC_RETURN_IF_ERROR(b.SetPayload(parts.payload));
  size = b.size();
  return Status::Ok();
}

// An Empty message: RST (rejecting a message) or ACK (a request whose answer comes separately).
Status WriteEmpty(Type type, uint16_t message_id, std::span<uint8_t> buffer, size_t& size) {
  MessageBuilder b(buffer);
  TC_RETURN_IF_ERROR(b.Header(type, code::kEmpty, message_id, {}));
  size = b.size();
  return Status::Ok();
}

Status WriteReset(uint16_t message_id, std::span<uint8_t> buffer, size_t& size) {
  return WriteEmpty(Type::kReset, message_id, buffer, size);
}

// An error answer with a short diagnostic payload (RFC 7252 §5.5.2).
ReplyParts ErrorReply(uint8_t error_code, std::string_view diagnostic) {
  ReplyParts parts;
  parts.code = error_code;
  parts.payload = Text(diagnostic);
  return parts;
}

}  // namespace

Status Response::Append(std::span<const uint8_t> bytes) {
  if (buffer_.size() - size_ < bytes.size()) {
    overflowed_ = true;
    return Status(ErrorCode::kResourceExhausted, "response body exceeds the body buffer");
  }
  std::copy(bytes.begin(), bytes.end(), buffer_.begin() + size_);
  size_ += bytes.size();
  return Status::Ok();
}

Status Response::Append(std::string_view text) { return Append(Text(text)); }

Result<ExchangeId> Response::Defer() {
  if (deferred_) return Status(ErrorCode::kFailedPrecondition, "response already deferred");
  if (server_ == nullptr || request_ == nullptr) {
    return Status(ErrorCode::kFailedPrecondition, "only a request's response can be deferred");
  }
  TC_ASSIGN_OR_RETURN(const ExchangeId id, server_->Defer(*request_, peer_, now_ms_));
  deferred_ = true;
  return id;
}

Result<ExchangeId> Server::Defer(const Message& request, uint64_t peer, uint32_t now_ms) {
  // A separate response keeps no Block1/Block2 state: block-wise requests are answered at once.
  if (request.Find(option::kBlock1) != nullptr || request.Find(option::kBlock2) != nullptr) {
    return Status(ErrorCode::kFailedPrecondition, "a block-wise request cannot be deferred");
  }
  return pending_.Defer(peer, request, now_ms);
}

Status Server::Register(const Resource& resource) {
  if (resource.path == nullptr || !ValidPath(resource.path)) {
    return Status(ErrorCode::kInvalidArgument, "resource path empty or with a stray '/'");
  }
  if (resource.attributes == nullptr) {
    return Status(ErrorCode::kInvalidArgument, "resource attributes must not be null");
  }
  if (!resource.get && !resource.post && !resource.put && !resource.del) {
    return Status(ErrorCode::kInvalidArgument, "resource has no handler");
  }
  const std::string_view path = resource.path;
  if (path == kWellKnownCore) {
    return Status(ErrorCode::kAlreadyExists, "/.well-known/core is built in");
  }
  for (const Resource& r : resources_) {
    if (path == r.path) return Status(ErrorCode::kAlreadyExists, "resource path registered twice");
  }
  return resources_.push_back(resource);
}

const Resource* Server::Match(const Message& message, bool& is_well_known) const {
  is_well_known = PathMatches(message, kWellKnownCore);
  if (is_well_known) return nullptr;
  for (const Resource& r : resources_) {
    if (PathMatches(message, r.path)) return &r;
  }
  return nullptr;
}

void Server::WellKnownCore(Response& response) const {
  response.set_content_format(content_format::kLinkFormat);
  bool first = true;
  for (const Resource& r : resources_) {
    if (!first) (void)response.Append(",");
    first = false;
    (void)response.Append("</");
    (void)response.Append(r.path);
    (void)response.Append(">");
    (void)response.Append(r.attributes);
  }
}

Status Server::Dispatch(const Message& message, uint64_t peer, uint32_t now_ms,
                        std::span<uint8_t> reply_buffer, size_t& reply_size) {
  const bool confirmable = message.type == Type::kConfirmable;
  const Type type = confirmable ? Type::kAcknowledgement : Type::kNonConfirmable;
  // A NON response takes the next id only when it is sent (a deferred one is not).
  auto reply = [&](const ReplyParts& parts) {
    const uint16_t message_id = confirmable ? message.message_id : next_message_id_++;
    return WriteReply(message.token_bytes(), type, message_id, parts, reply_buffer, reply_size);
  };

  for (const Option& o : message.options) {
    if (option::IsCritical(o.number) && !IsRecognized(o.number)) {
      return reply(ErrorReply(code::kBadOption, "unrecognized critical option"));
    }
  }
  bool is_well_known = false;
  const Resource* resource = Match(message, is_well_known);
  if (resource == nullptr && !is_well_known) {
    return reply(ErrorReply(code::kNotFound, "no such resource"));
  }
  const Handler handler = is_well_known ? nullptr : MethodHandler(*resource, message.code);
  if (is_well_known ? message.code != code::kGet : handler == nullptr) {
    return reply(ErrorReply(code::kMethodNotAllowed, "method not allowed on this resource"));
  }

  bool has_block1 = false;
  BlockOption block1;
  if (const Option* o = message.Find(option::kBlock1)) {
    Result<BlockOption> decoded = DecodeBlock(o->value);
    if (!decoded.ok()) return reply(ErrorReply(code::kBadRequest, decoded.status().message()));
    block1 = *decoded;
    has_block1 = true;
    if (block1.szx > kServerMaxSzx) {
      ReplyParts parts = ErrorReply(code::kRequestEntityTooLarge, "block size above 256 bytes");
      parts.has_block1 = true;
      parts.block1 = BlockOption{0, false, kServerMaxSzx};
      return reply(parts);
    }
    if (block1.more && message.payload.size() != block1.size()) {
      return reply(ErrorReply(code::kBadRequest, "Block1 payload size differs from SZX"));
    }
  }
  bool has_block2 = false;
  BlockOption block2;
  if (const Option* o = message.Find(option::kBlock2)) {
    Result<BlockOption> decoded = DecodeBlock(o->value);
    if (!decoded.ok()) return reply(ErrorReply(code::kBadRequest, decoded.status().message()));
    block2 = *decoded;
    has_block2 = true;
  }
  if (!is_well_known && resource->request_format != kAnyFormat && !message.payload.empty()) {
    Result<uint32_t> format = message.FindUint(option::kContentFormat);
    if (!format.ok() || *format != resource->request_format) {
      return reply(ErrorReply(code::kUnsupportedContentFormat, "payload Content-Format refused"));
    }
  }

  // Later blocks of a block-wise GET come from the snapshot of block 0, so a resource that changes
  // meanwhile (counters, logs) still arrives as one consistent representation.
  const uint32_t key = RepresentationKey(message);
  const bool from_snapshot = message.code == code::kGet && has_block2 && block2.num > 0 &&
                             snapshot_.valid && snapshot_.peer == peer &&
                             snapshot_.resource == resource && snapshot_.key == key;
  ReplyParts parts;
  std::span<const uint8_t> body;
  if (from_snapshot) {
    parts.code = snapshot_.code;
    parts.has_content_format = snapshot_.has_content_format;
    parts.content_format = snapshot_.content_format;
    body = std::span<const uint8_t>(body_, snapshot_.size);
  } else {
    snapshot_.valid = false;  // the handler overwrites the snapshot's bytes
    Response response(body_);
    if (is_well_known) {
      WellKnownCore(response);
    } else {
      response.server_ = this;
      response.request_ = &message;
      response.peer_ = peer;
      response.now_ms_ = now_ms;
      handler(resource->context, Request{message, peer, has_block1, block1}, response);
    }
    if (response.deferred()) {
      // The answer follows as a separate response; a CON request is acknowledged now.
      if (!confirmable) return Status::Ok();
      return WriteEmpty(Type::kAcknowledgement, message.message_id, reply_buffer, reply_size);
    }
    if (response.overflowed()) {
      return reply(ErrorReply(code::kInternalServerError, "response body too large"));
    }
    parts.code = response.code();
    parts.has_content_format = response.has_content_format();
    parts.content_format = response.content_format();
    body = response.body();
  }
  Result<uint32_t> accept = message.FindUint(option::kAccept);
  if (accept.ok() && parts.has_content_format && *accept != parts.content_format) {
    return reply(ErrorReply(code::kNotAcceptable, "no representation in the Accept format"));
  }
  parts.payload = body;
  if (has_block2 || body.size() > (size_t{16} << kServerMaxSzx)) {
    // A client may ask for larger blocks than the server sends: the same offset in smaller ones.
    BlockOption block = has_block2 ? block2 : BlockOption{0, false, kServerMaxSzx};
    if (block.szx > kServerMaxSzx) {
      const uint32_t scale = 1u << (block.szx - kServerMaxSzx);
      if (block.num > kMaxBlockNum / scale) {
        return reply(ErrorReply(code::kBadOption, "Block2 number out of range"));
      }
      block.num *= scale;
      block.szx = kServerMaxSzx;
    }
    if (block.offset() >= body.size() && !(block.num == 0 && body.empty())) {
      return reply(ErrorReply(code::kBadOption, "Block2 starts past the end of the body"));
    }
    const size_t length =
        body.size() - block.offset() < block.size() ? body.size() - block.offset() : block.size();
    block.more = block.offset() + length < body.size();
    parts.payload = body.subspan(block.offset(), length);
    parts.has_etag = true;
    parts.etag = from_snapshot ? snapshot_.etag : Fnv1a(body);
    if (!from_snapshot && message.code == code::kGet && block.more) {
      snapshot_ = {true,
                   peer,
                   resource,
                   key,
                   body.size(),
                   parts.etag,
                   parts.code,
                   parts.has_content_format,
                   parts.content_format};
    }
    parts.has_block2 = true;
    parts.block2 = block;
    if (block.num == 0) {
      parts.has_size2 = true;
      parts.size2 = static_cast<uint32_t>(body.size());
    }
  }
  if (has_block1 && CodeClass(parts.code) == 2) {
    parts.has_block1 = true;
    parts.block1 = block1;
    if (block1.more) parts.code = code::kContinue;
  }
  return reply(parts);
}

Server::Outcome Server::Handle(std::span<const uint8_t> datagram, uint64_t peer, uint32_t now_ms,
                               std::span<uint8_t> reply_buffer) {
  Result<HeaderPrefix> prefix = ParseHeaderPrefix(datagram);
  if (!prefix.ok()) return {{}, prefix.status()};
  const bool confirmable = prefix->type == Type::kConfirmable;
  size_t size = 0;

  const Status parsed = ParseMessage(datagram, message_);
  if (!parsed.ok()) {
    // A malformed CON is rejected with a Reset (RFC 7252 §4.2); anything else is dropped, as is
    // a message of another protocol version (§3).
    if (confirmable && prefix->version == kVersion &&
        WriteReset(prefix->message_id, reply_buffer, size).ok()) {
      return {reply_buffer.first(size), parsed};
    }
    return {{}, parsed};
  }
  const Message& m = message_;
  if (m.type == Type::kAcknowledgement || m.type == Type::kReset) {
    if (pending_.Acknowledge(peer, m.message_id, m.type == Type::kReset)) return {{}, Status::Ok()};
    return {{}, Status(ErrorCode::kFailedPrecondition, "ACK or RST with no exchange pending")};
  }
  if (!m.is_request()) {
    // A CON ping (0.00) or a response code in a request: both are answered by a Reset.
    const Status why = m.code == code::kEmpty
                           ? Status::Ok()
                           : Status(ErrorCode::kInvalid, "request carries a response code", 1);
    if (confirmable && WriteReset(m.message_id, reply_buffer, size).ok()) {
      return {reply_buffer.first(size), why};
    }
    return {{}, why};
  }

  // A duplicate of a deferred request: acknowledged again (its answer comes separately, and a
  // CON answer is being retransmitted anyway), never executed again. The table is checked first
  // because the dedup cache may have lost the entry while the exchange is still pending.
  if (pending_.HasRequest(peer, m.message_id)) {
    if (!confirmable ||
        !WriteEmpty(Type::kAcknowledgement, m.message_id, reply_buffer, size).ok()) {
      return {{}, Status::Ok()};
    }
    return {reply_buffer.first(size), Status::Ok()};
  }
  const DedupCache<kDedupEntries, kMaxReplySize>::Hit hit =
      dedup_.Lookup(peer, m.message_id, now_ms);
  if (hit.found) {
    if (!confirmable) return {{}, Status::Ok()};
    return {hit.response, Status::Ok()};
  }
  const Status dispatched = Dispatch(m, peer, now_ms, reply_buffer, size);
  if (!dispatched.ok()) return {{}, dispatched};
  const std::span<const uint8_t> reply = reply_buffer.first(size);
  (void)dedup_.Store(peer, m.message_id, now_ms, confirmable ? reply : std::span<const uint8_t>{});
  return {reply, Status::Ok()};
}

Result<Outgoing> Server::Complete(ExchangeId id, uint32_t now_ms, Fill fill, void* context,
                                  std::span<uint8_t> buffer) {
  if (buffer.size() < kMaxReplySize) {
    return Status(ErrorCode::kInvalidArgument, "separate response buffer below kMaxReplySize");
  }
  TC_ASSIGN_OR_RETURN(const PendingExchanges::Request request, pending_.Find(id));
  snapshot_.valid = false;  // the answer is written into body_
  Response response(body_);
  fill(context, response);
  ReplyParts parts;
  if (response.overflowed() || response.body().size() > kSeparateBodyLimit) {
    parts = ErrorReply(code::kInternalServerError, "separate response larger than one block");
  } else {
    parts.code = response.code();
    parts.has_content_format = response.has_content_format();
    parts.content_format = response.content_format();
    parts.payload = response.body();
  }
  const bool confirmable = request.type == Type::kConfirmable;
  const uint16_t message_id = next_message_id_++;
  size_t size = 0;
  Status written =
      WriteReply(request.token_bytes(), confirmable ? Type::kConfirmable : Type::kNonConfirmable,
                 message_id, parts, buffer, size);
  const std::span<const uint8_t> datagram = buffer.first(size);
  if (written.ok() && confirmable) written = pending_.Send(id, message_id, datagram, now_ms);
  if (!written.ok() || !confirmable) pending_.Release(id);
  if (!written.ok()) return written;
  return Outgoing{datagram, request.peer};
}

Outgoing Server::Poll(uint32_t now_ms, std::span<uint8_t> buffer) {
  return pending_.Poll(now_ms, buffer);
}

}  // namespace tc::coap

// A small CoAP server: turns one request datagram into at most one reply datagram. It owns no
// socket (the port layer moves datagrams), so the same code serves UDP on the native device and a
// serial line on boards. Requests are matched to registered resources by their Uri-Path options
// and dispatched by method; /.well-known/core (RFC 6690) is generated from the registrations.
// Responses are piggybacked on the ACK for CON requests and sent as NON for NON requests; bodies
// longer than one block are served block-wise (RFC 7959 Block2) automatically, with an ETag; the
// later blocks of a GET come from a snapshot of the representation block 0 was cut from. A
// handler may instead defer its answer (Response::Defer) and give it later with Complete(): a
// separate response (RFC 7252 §5.2.2), retransmitted by Poll() until the client acknowledges it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/fixed_vector.h"
#include "tc/base/status.h"
#include "tc/net/coap/block.h"
#include "tc/net/coap/dedup_cache.h"
#include "tc/net/coap/message.h"
#include "tc/net/coap/pending_exchanges.h"

namespace tc::coap {

inline constexpr size_t kMaxResources = 16;
// The largest representation a handler can produce (it is served in blocks): the management
// resources' JSON for a full container table needs 2 KiB.
#ifndef TC_COAP_BODY_CAPACITY
#define TC_COAP_BODY_CAPACITY 2048
#endif
inline constexpr size_t kBodyCapacity = TC_COAP_BODY_CAPACITY;
// Blocks the server sends and accepts are at most 256 bytes, so a reply fits in kMaxReplySize.
inline constexpr uint8_t kServerMaxSzx = 4;
inline constexpr size_t kMaxReplySize = 320;
inline constexpr size_t kDedupEntries = 4;
static_assert(kSeparateReplySize <= kMaxReplySize);
// Resource::request_format value that accepts any (or no) Content-Format.
inline constexpr uint16_t kAnyFormat = 0xFFFF;

struct Request {
  const Message& message;
  uint64_t peer;
  // Set when the request carried Block1: message.payload is then that one block.
  bool has_block1;
  BlockOption block1;
};

class Server;

// What a handler fills in: a code (default 2.05 Content), an optional Content-Format and the
// body, written into the server's fixed body buffer.
class Response {
 public:
  explicit Response(std::span<uint8_t> body_buffer) : buffer_(body_buffer) {}

  // Answers later, with Server::Complete(id, ...): the server acknowledges a CON request with an
  // empty ACK now (a NON request gets nothing) and ignores what else the handler fills in.
  // kResourceExhausted when kPendingExchanges answers are already pending, kFailedPrecondition for
  // a block-wise request (Block1/Block2) or a response not made by a server's Handle(): the
  // handler must then answer at once.
  Result<ExchangeId> Defer();
  bool deferred() const { return deferred_; }

  void set_code(uint8_t code) { code_ = code; }
  uint8_t code() const { return code_; }
  void set_content_format(uint16_t format) {
    content_format_ = format;
    has_content_format_ = true;
  }
  bool has_content_format() const { return has_content_format_; }
  uint16_t content_format() const { return content_format_; }

  // kResourceExhausted when the body buffer is full; the server then answers 5.00.
  Status Append(std::span<const uint8_t> bytes);
  Status Append(std::string_view text);
  std::span<const uint8_t> body() const { return buffer_.first(size_); }
  bool overflowed() const { return overflowed_; }

 private:
  std::span<uint8_t> buffer_;
  size_t size_ = 0;
  uint8_t code_ = code::kContent;
  uint16_t content_format_ = 0;
  bool has_content_format_ = false;
  bool overflowed_ = false;
  bool deferred_ = false;
  // Set by Server::Handle so a handler can defer.
  friend class Server;
  Server* server_ = nullptr;
  const Message* request_ = nullptr;
  uint64_t peer_ = 0;
  uint32_t now_ms_ = 0;
};

using Handler = void (*)(void* context, const Request& request, Response& response);

struct Resource {
  // Without a leading slash, segments separated by '/': "status", "containers/list".
  const char* path = "";
  // RFC 6690 attributes appended to the link, e.g. ";rt=\"tc.status\";ct=60" (may be "").
  const char* attributes = "";
  Handler get = nullptr;
  Handler post = nullptr;
  Handler put = nullptr;
  Handler del = nullptr;
  void* context = nullptr;
  // Content-Format a POST/PUT payload must declare; requests with another one get 4.15.
  uint16_t request_format = kAnyFormat;
};

class Server {
 public:
  // `first_message_id` seeds the ids of NON responses (a random start per RFC 7252 §4.4).
  // It also seeds the randomised retransmission timeouts of separate responses.
  explicit Server(uint16_t first_message_id = 0)
      : pending_(0x9E3779B9u ^ first_message_id), next_message_id_(first_message_id) {}

  // kInvalidArgument for an empty path, a leading or doubled '/', or a missing handler;
  // kAlreadyExists for a path already registered; kResourceExhausted past kMaxResources.
  Status Register(const Resource& resource);

  struct Outcome {
    std::span<const uint8_t> reply;  // empty: send nothing
    Status status;                   // why the datagram was rejected or dropped (Ok otherwise)
  };

  // Handles one datagram from `peer` (an opaque id of the sender's address, for deduplication).
  // The reply is written into `reply_buffer` (kMaxReplySize bytes are always enough).
  // A matching ACK or RST ends a separate response's retransmission (Outcome::status OK, no
  // reply); one that matches nothing is dropped with kFailedPrecondition. A duplicate of a
  // deferred request gets the empty ACK again (CON) or nothing (NON); its handler does not run.
  Outcome Handle(std::span<const uint8_t> datagram, uint64_t peer, uint32_t now_ms,
                 std::span<uint8_t> reply_buffer);

  // Fills in the answer to a deferred request: `fill` gets a Response as a handler does (code,
  // Content-Format, body; Defer is refused).
  using Fill = void (*)(void* context, Response& response);
  // Builds the separate response for exchange `id` into `buffer` (kMaxReplySize bytes are
  // enough) and returns it with the peer to send it to: CON with a fresh message id and the
  // request's token for a CON request (then retransmitted by Poll until acknowledged), NON for a
  // NON request. A body over kSeparateBodyLimit (one block) is answered 5.00 instead. Errors:
  // kNotFound for an id that is not pending (already completed, forgotten, never deferred),
  // kInvalidArgument for a buffer below kMaxReplySize.
  Result<Outgoing> Complete(ExchangeId id, uint32_t now_ms, Fill fill, void* context,
                            std::span<uint8_t> buffer);
  // The next separate response due for retransmission at `now_ms`, copied into `buffer`
  // (kMaxReplySize bytes), or nothing (empty datagram). Call until it returns nothing.
  Outgoing Poll(uint32_t now_ms, std::span<uint8_t> buffer);
  // Milliseconds until Poll() has work (UINT32_MAX: none), so the caller can sleep until then.
  uint32_t MsUntilPoll(uint32_t now_ms) const { return pending_.MsUntilDeadline(now_ms); }
  // The separate-response table (counters: given up, reset by the client, forgotten).
  const PendingExchanges& pending() const { return pending_; }

 private:
  const Resource* Match(const Message& message, bool& is_well_known) const;
  friend class Response;  // Response::Defer
  Result<ExchangeId> Defer(const Message& request, uint64_t peer, uint32_t now_ms);
  Status Dispatch(const Message& message, uint64_t peer, uint32_t now_ms,
                  std::span<uint8_t> reply_buffer, size_t& reply_size);
  void WellKnownCore(Response& response) const;

  // The body of the last block-wise GET, still in body_, and what it answered.
  struct Snapshot {
    bool valid = false;
    uint64_t peer = 0;
    const Resource* resource = nullptr;  // null: /.well-known/core
    uint32_t key = 0;                    // of the Uri-Query and Accept options
    size_t size = 0;
    uint32_t etag = 0;
    uint8_t code = 0;
    bool has_content_format = false;
    uint16_t content_format = 0;
  };

  FixedVector<Resource, kMaxResources> resources_;
  Snapshot snapshot_;
  DedupCache<kDedupEntries, kMaxReplySize> dedup_;
  PendingExchanges pending_;
  Message message_;
  uint8_t body_[kBodyCapacity] = {};
  uint16_t next_message_id_;
};

}  // namespace tc::coap

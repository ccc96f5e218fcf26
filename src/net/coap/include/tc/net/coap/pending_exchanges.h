// Separate responses (RFC 7252 §5.2.2): the requests whose answer a handler deferred, and the
// confirmable responses later sent for them until the client acknowledges them (§4.2:
// retransmission with exponential back-off, given up after MAX_RETRANSMIT). Fixed size; an id
// names one use of one slot, so an id whose exchange ended is refused even if the slot is reused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/result.h"
#include "tc/net/coap/message.h"

namespace tc::coap {

#ifndef TC_COAP_PENDING_EXCHANGES
#define TC_COAP_PENDING_EXCHANGES 4
#endif
inline constexpr size_t kPendingExchanges = TC_COAP_PENDING_EXCHANGES;
// RFC 7252 §4.8 defaults; the first timeout is random in [ACK_TIMEOUT, 1.5 * ACK_TIMEOUT].
inline constexpr uint32_t kAckTimeoutMs = 2000;
inline constexpr uint32_t kAckRandomSpanMs = kAckTimeoutMs / 2;
inline constexpr uint8_t kMaxRetransmit = 4;
// A separate response carries at most one block (no Block2 state is kept for it).
inline constexpr size_t kSeparateBodyLimit = 256;
// The largest separate response kept for retransmission: header, token, a few options, one block.
inline constexpr size_t kSeparateReplySize = 320;
// A deferred request nobody completed is forgotten after EXCHANGE_LIFETIME (§4.8.2).
inline constexpr uint32_t kDeferLifetimeMs = 247'000;

// Names a deferred exchange: slot in the low 8 bits, the slot's use count above; never 0.
using ExchangeId = uint32_t;

// A datagram for a peer (a completed separate response or a retransmission).
struct Outgoing {
  std::span<const uint8_t> datagram;  // empty: nothing to send
  uint64_t peer = 0;
};

class PendingExchanges {
 public:
  // `seed` drives the randomisation of the first timeout (deterministic for a given seed).
  explicit PendingExchanges(uint32_t seed) : random_(seed | 1u) {}

  // What Complete() needs to answer a deferred request.
  struct Request {
    uint64_t peer = 0;
    Type type = Type::kConfirmable;
    uint8_t token_length = 0;
    uint8_t token[kMaxTokenLength] = {};
    std::span<const uint8_t> token_bytes() const { return {token, token_length}; }
  };

  // Keeps `request` (CON or NON) from `peer` until Complete; kResourceExhausted when every slot
  // is in use.
  Result<ExchangeId> Defer(uint64_t peer, const Message& request, uint32_t now_ms);
  // Whether (peer, message id) is a request deferred here whose exchange has not ended: a
  // duplicate that must not run the handler again.
  bool HasRequest(uint64_t peer, uint16_t message_id) const;
  // The deferred request `id` names; kNotFound when it was never deferred, was already completed,
  // or was forgotten (kDeferLifetimeMs).
  Result<Request> Find(ExchangeId id) const;
  // Ends a deferred exchange whose answer needs no acknowledgement (NON) or could not be built.
  void Release(ExchangeId id);
  // Keeps the CON response `datagram` (message id `message_id`) for retransmission from now on.
  // kOutOfRange when it is larger than kSeparateReplySize (then the exchange is released).
  Status Send(ExchangeId id, uint16_t message_id, std::span<const uint8_t> datagram,
              uint32_t now_ms);
  // An ACK or RST from `peer` for `message_id`: ends the matching CON response. False when
  // nothing matches.
  bool Acknowledge(uint64_t peer, uint16_t message_id, bool reset);

  // The next retransmission due at `now_ms`, copied into `buffer` (kSeparateReplySize bytes are
  // enough; a smaller buffer gives the response up), or nothing. Responses that reached
  // MAX_RETRANSMIT unacknowledged, and deferred requests older than kDeferLifetimeMs, are dropped
  // on the way. Call until it returns nothing.
  Outgoing Poll(uint32_t now_ms, std::span<uint8_t> buffer);
  // Milliseconds from `now_ms` until Poll has something to do (0: now), or UINT32_MAX for never.
  uint32_t MsUntilDeadline(uint32_t now_ms) const;

  // Counters for the operator: CON responses never acknowledged, those the client reset, and
  // deferred requests nobody completed.
  uint32_t given_up() const { return given_up_; }
  uint32_t reset_by_peer() const { return reset_by_peer_; }
  uint32_t forgotten() const { return forgotten_; }
  // Slots in use (deferred or sending).
  size_t in_use() const;

 private:
  enum class Phase : uint8_t { kFree, kDeferred, kSending };
  struct Slot {
    Phase phase = Phase::kFree;
    uint32_t uses = 0;
    Request request;
    uint16_t request_id = 0;
    uint32_t since_ms = 0;  // deferred at (kDeferred), next transmission due (kSending)
    uint32_t timeout_ms = 0;
    uint8_t retransmits = 0;
    uint16_t response_id = 0;
    uint16_t length = 0;
    uint8_t response[kSeparateReplySize] = {};
  };

  // The slot `id` names while its exchange lasts, else kPendingExchanges / nullptr.
  size_t IndexOf(ExchangeId id) const;
  Slot* Lookup(ExchangeId id);
  uint32_t NextRandom();

  Slot slots_[kPendingExchanges];
  uint32_t random_;
  uint32_t given_up_ = 0;
  uint32_t reset_by_peer_ = 0;
  uint32_t forgotten_ = 0;
};

}  // namespace tc::coap

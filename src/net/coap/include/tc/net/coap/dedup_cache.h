// Message-id deduplication (RFC 7252 §4.5): remembers the last responses sent so a retransmitted
// request is answered with the same bytes instead of being executed twice. Fixed size; when full
// the oldest entry is replaced, and entries expire after EXCHANGE_LIFETIME.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tc::coap {

inline constexpr uint32_t kExchangeLifetimeMs = 247'000;  // RFC 7252 §4.8.2 defaults

template <size_t kEntries, size_t kResponseCapacity>
class DedupCache {
 public:
  // The cached response for (peer, message id) if it is still fresh; `found` tells whether an
  // entry exists at all (a NON duplicate has an entry with an empty response).
  struct Hit {
    bool found = false;
    std::span<const uint8_t> response;
  };

  Hit Lookup(uint64_t peer, uint16_t message_id, uint32_t now_ms) const {
    for (const Entry& e : entries_) {
      if (e.used && e.peer == peer && e.message_id == message_id &&
          now_ms - e.stored_ms < kExchangeLifetimeMs) {
        return {true, {e.response, e.length}};
      }
    }
    return {};
  }

  // Remembers a response; one larger than kResponseCapacity is not cached (returns false), so a
  // duplicate of that request is executed again.
  bool Store(uint64_t peer, uint16_t message_id, uint32_t now_ms,
             std::span<const uint8_t> response) {
    if (response.size() > kResponseCapacity) return false;
    Entry& e = Victim(now_ms);
    e.used = true;
    e.peer = peer;
    e.message_id = message_id;
    e.stored_ms = now_ms;
    e.length = response.size();
    std::copy(response.begin(), response.end(), e.response);
    return true;
  }

 private:
  struct Entry {
    bool used = false;
    uint64_t peer = 0;
    uint16_t message_id = 0;
    uint32_t stored_ms = 0;
    size_t length = 0;
    uint8_t response[kResponseCapacity] = {};
  };

  // A free or expired entry, else the oldest one.
  Entry& Victim(uint32_t now_ms) {
    Entry* oldest = &entries_[0];
    for (Entry& e : entries_) {
      if (!e.used || now_ms - e.stored_ms >= kExchangeLifetimeMs) return e;
      if (now_ms - e.stored_ms > now_ms - oldest->stored_ms) oldest = &e;
    }
    return *oldest;
  }

  Entry entries_[kEntries];
};

}  // namespace tc::coap

// Deterministic map key order (RFC 8949 §4.2.1): the encoded keys of one map must be strictly
// increasing in bytewise lexicographic order. Feed each key's encoded bytes in turn; equal keys are
// reported as duplicates, smaller ones as out of order. Holds views into the caller's buffer only.
#pragma once

#include <cstdint>
#include <span>

#include "tc/base/status.h"

namespace tc::cbor {

class MapKeyOrder {
 public:
  // kAlreadyExists "duplicate map key" or kMalformed "map keys not in deterministic order".
  Status Next(std::span<const uint8_t> encoded_key);
  void Reset() { has_previous_ = false; }

 private:
  std::span<const uint8_t> previous_;
  bool has_previous_ = false;
};

// <0, 0 or >0 as `a` sorts before, equal to or after `b` in bytewise lexicographic order.
int CompareEncodedKeys(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace tc::cbor
